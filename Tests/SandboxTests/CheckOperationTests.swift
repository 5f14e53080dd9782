import Banks
import Foundation
import ManifestLanguage
import NIOCore
import NIOPosix
import NIOSSL
import PlanModel
@testable import Reconciler
import Sandbox
import Testing
import TestSupport

/// A TLS server on a free port of 127.0.0.1 that completes handshakes with a certificate made for the test, and
/// answers nothing else.
enum HandshakeServer {
    static func with<T>(_ issued: TestCertificates.Issued, _ body: (Int) async throws -> T) async throws -> T {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(issued.certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array((issued.privateKeyPEM ?? "").utf8), format: .pem)))
        let context = try NIOSSLContext(configuration: configuration)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            let result = try await body(channel.localAddress?.port ?? 0)
            try await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }
}

/// Sends what a provider addresses to `from` to the same path under `to`, over AsyncHTTPClient.
struct RewritingTransport: HTTPTransport {
    let from: String
    let to: String

    func send(_ call: HTTPCall) async throws -> HTTPReply {
        var call = call
        if call.url.hasPrefix(from) { call.url = to + call.url.dropFirst(from.count) }
        return try await AsyncHTTPTransport().send(call)
    }
}

@Suite("check: the engine's preflight")
struct CheckOperationTests {
    func manifest(endpoint: String) throws -> Manifest {
        try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: """
            version: 1
            providers:
              finan:
                type: finan-one
                endpoint: \(endpoint)
                client_id: sandbox-client-id
                secret_key: sandbox-secret-key
            finan:
              master_accounts:
                main: { account_number: "0933450210" }
            """)])
    }

    func store() -> StateStore {
        StateStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("provision-check-\(UUID().uuidString)"))
    }

    @Test func anEndpointWhoseCertificateExpiresInTenDaysWarnsAndNothingIsWritten() async throws {
        let issued = try TestCertificates.issue(days: 10)
        try await HandshakeServer.with(issued) { port in
            let sandbox = try await SandboxServer.start(SandboxConfiguration())
            defer { Task { await sandbox.stop() } }
            let endpoint = "https://localhost:\(port)/open"
            let manifest = try manifest(endpoint: endpoint)
            let wire = RewritingTransport(from: endpoint, to: "http://127.0.0.1:\(sandbox.port)/finan/open")
            let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil, wire: wire)
            let request = CheckRequest(endpoints: TLSInspector(additionalTrustRoots: [issued.caPEM]))
            let result = try await CheckOperation(request).run(in: .testing(manifest, providers: providers, store: store()))
            let tls = try #require(result.lines.first { $0.finding.subject == "endpoint TLS" })
            #expect(tls.provider == "finan" && tls.finding.status == .warning, "\(result.lines)")
            #expect(tls.finding.detail.contains("the certificate of localhost verifies and expires on") && tls.finding.detail.contains("in 10 days"))
            #expect(tls.finding.fix?.contains("expires soon") == true)
            let others = result.lines.filter { $0.finding.subject != "endpoint TLS" }
            #expect(others.map(\.finding.subject) == ["credentials", "clock", "state backend", "state lock"])
            #expect(others.allSatisfy { $0.finding.status == .ok }, "\(others)")
            #expect(result.exitCode == 2)
            #expect(sandbox.traffic.current.byMethod.keys.sorted() == ["GET"], "\(sandbox.traffic.current.byRoute)")
        }
    }

    @Test func aCertificateNoTrustedAuthorityIssuedFailsAndStillShowsItsExpiry() async throws {
        let issued = try TestCertificates.issue(days: 200)
        try await HandshakeServer.with(issued) { port in
            let inspection = await TLSInspector().inspect(host: "localhost", port: port)
            guard case .unverified(let reason) = inspection.outcome else { Issue.record("\(inspection)"); return }
            #expect(!reason.isEmpty && inspection.notValidAfter != nil)
            let trusted = await TLSInspector(additionalTrustRoots: [issued.caPEM]).inspect(host: "localhost", port: port)
            #expect(trusted.outcome == .verified)
            let context = CheckContext(resources: [], production: false, now: Date(), warningWindow: CheckRequest.defaultWarningWindow)
            let other = await CheckOperation(CheckRequest(endpoints: TLSInspector())).endpoint(.url("https://localhost:\(port)"), context: context)
            #expect(other.status == .failed && other.detail.contains("does not verify") && other.detail.contains("expires on"), "\(other)")
        }
    }

    @Test func aHeldStateLockWarnsAndNoBankIsNeededToSayIt() async throws {
        let store = store()
        let manifest = try manifest(endpoint: "sandbox")
        let result = try await store.withLock(operation: "apply", timeout: .zero) {
            try await CheckOperation().run(in: .testing(manifest, providers: [:], store: store))
        }
        let lock = try #require(result.lines.first { $0.finding.subject == "state lock" })
        #expect(lock.finding.status == .warning && lock.finding.detail.contains("running apply"), "\(lock)")
        #expect(result.lines.contains { $0.provider == "finan" && $0.finding.subject == "checks" && $0.finding.status == .warning })
        #expect(result.exitCode == 2)
    }
}

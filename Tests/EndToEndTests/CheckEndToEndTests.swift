import Foundation
import Reconciler
import Sandbox
import Testing
import TestSupport
import X509
import _CryptoExtras

/// `provision check`, the built binary: the quickstart, a wrong secret, and all four banks' simulators on one port with
/// a bank certificate that expires in ten days, counting every request the simulators were sent.
struct CheckEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theQuickstartIsAllOkAndAWrongSecretFailsNamingTheProvider() async throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ok = try await binary.finish(["check", "."], in: folder)
        #expect(ok.status == 0, "\(ok.output)\(ok.errors)")
        #expect(ok.output.hasPrefix("PROVIDER  CHECK"), "\(ok.output)")
        for subject in ["endpoint", "credentials", "clock", "state backend", "state lock"] {
            #expect(ok.output.contains(subject), "\(subject): \(ok.output)")
        }
        #expect(ok.output.hasSuffix("Check: 0 failed, 0 warnings, 5 ok.\n"), "\(ok.output)")

        let secret = "wrong-secret-\(UUID().uuidString)"
        let wrong = try await binary.finish(["check", "--format", "json", "."], in: folder, environment: ["FINAN_SECRET_KEY": secret])
        #expect(wrong.status == 1, "\(wrong.output)\(wrong.errors)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(wrong.output.utf8)) as? [String: Any])
        #expect(document["exit_code"] as? Int == 1)
        let failed = (document["checks"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "failed" }
        #expect(failed.count == 1 && failed.first?["provider"] as? String == "finan" && failed.first?["check"] as? String == "credentials", "\(failed)")
        #expect((failed.first?["detail"] as? String)?.contains("Finan One refused GET") == true)
        #expect((failed.first?["fix"] as? String)?.contains("secret_key") == true)
        #expect(!wrong.output.contains(secret) && !wrong.errors.contains(secret))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision/journal").path), "check writes no journal")
    }

    @Test func fourBanksWarnOfABankCertificateThatExpiresInTenDaysAndAreSentNoWrite() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("provision-check-bank-\(UUID().uuidString)")
        // The banks' own keys are the references' test keys, put where the sandbox keeps them: none is made here.
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for (bank, example) in [("vietinbank", "icici-go-live/keys/sandbox-client-key.pem"), ("icici", "vietinbank-onboarding/keys/sandbox-partner-key.pem")] {
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("examples/\(example)"), to: data.appendingPathComponent("\(bank)-bank-key.pem"))
        }
        let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: data.path))
        defer { Task { await sandbox.stop() } }
        let base = "http://127.0.0.1:\(sandbox.port)"
        let folder = try folderWithManifest(try await Self.manifest(base: base))
        defer { try? FileManager.default.removeItem(at: folder) }
        sandbox.traffic.reset()

        let result = try await ProvisionBinary().finish(["check", "."], in: folder)
        #expect(result.status == 2, "\(result.output)\(result.errors)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let warning = lines.filter { $0.contains(" warning ") }
        #expect(warning.count == 1 && warning.first?.hasPrefix("vtb") == true && warning.first?.contains("bank_certificate expiry") == true, "\(result.output)")
        #expect(warning.first?.contains("in 10 days") == true)
        #expect(!lines.contains { $0.contains(" failed ") }, "\(result.output)")
        for expected in ["vtb       signature (private_key)", "icici     encryption (bank_certificate, client_private_key)", "sepay     credentials", "finan     clock"] {
            #expect(lines.contains { $0.hasPrefix(expected) && $0.contains(" ok ") }, "\(expected): \(result.output)")
        }

        let routes = sandbox.traffic.current.byRoute
        let reads: Set<String> = [
            "POST /sepay/v1/token", "POST /vietinbank/erp/v1/statement/inquiry", "POST /icici/api/Corporate/CIB/v1/RegistrationStatus",
        ]
        let writes = routes.keys.filter { !$0.hasPrefix("GET ") && !reads.contains($0) }
        #expect(writes.isEmpty, "write calls: \(writes.sorted())")
        #expect(routes.keys.contains { $0.hasPrefix("GET /finan/open/") } && routes.keys.contains { $0.hasPrefix("GET /sepay/") }, "\(routes)")
        #expect(reads.allSatisfy { routes[$0] != nil }, "\(routes)")
    }

    /// The four providers on the sandbox at `base`, with their applications registered there as a person would, and
    /// VietinBank's bank certificate issued by a CA of the test's own for the sandbox bank's key, for ten days.
    static func manifest(base: String) async throws -> String {
        let transport = AsyncHTTPTransport()
        let operate = { (path: String, body: String) in
            let reply = try await transport.send(HTTPCall(method: "POST", url: base + path, headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
            #expect((200..<300).contains(reply.status), "\(path): \(String(decoding: reply.body, as: UTF8.self))")
        }
        try await operate("/vietinbank/sandbox/applications", #"{"name":"acme-erp","client_id":"check-vtb","client_secret":"check-vtb-secret"}"#)
        try await operate("/vietinbank/sandbox/applications/check-vtb/subscriptions", #"{"api":"erp-statement","plan":"Default"}"#)
        try await operate("/icici/sandbox/applications", #"{"name":"acme-payments","apikey":"check-icici"}"#)
        try await operate("/icici/sandbox/applications/check-icici/apis", #"{"api":"CIB Registration Status","plan":"Sandbox"}"#)
        let pem = { (path: String) in String(decoding: try await transport.send(HTTPCall(method: "GET", url: base + path)).body, as: UTF8.self) }
        let vietinBankKey = try _RSA.Signing.PublicKey(pemRepresentation: try await pem("/vietinbank/sandbox/certificate"))
        let certificate = try TestCertificates.issue(days: 10, dnsName: "VietinBank sandbox", publicKey: Certificate.PublicKey(vietinBankKey))
        let indent = { (text: String) in text.split(separator: "\n").map { "      \($0)" }.joined(separator: "\n") }
        let key = { (example: String) in try String(contentsOf: root.appendingPathComponent("examples/\(example)"), encoding: .utf8) }
        return """
            version: 1
            providers:
              finan:
                type: finan-one
                endpoint: \(base)/finan/open
                client_id: sandbox-client-id
                secret_key: sandbox-secret-key
              sepay:
                type: sepay-bankhub
                endpoint: \(base)/sepay
                client_id: sandbox-client-id
                client_secret: sandbox-client-secret
              vtb:
                type: vietinbank-iconnect
                endpoint: \(base)/vietinbank
                client_id: check-vtb
                client_secret: check-vtb-secret
                provider_id: SBX
                merchant_id: SBX001
                private_key: |
            \(indent(try key("vietinbank-onboarding/keys/sandbox-partner-key.pem")))
                bank_certificate: |
            \(indent(certificate.certificatePEM))
              icici:
                type: icici-api-banking
                endpoint: \(base)/icici
                api_key: check-icici
                client_private_key: |
            \(indent(try key("icici-go-live/keys/sandbox-client-key.pem")))
                bank_certificate: |
            \(indent(try await pem("/icici/sandbox/certificate")))
            finan:
              master_accounts:
                main: { account_number: "0933450210" }
            vtb:
              applications:
                erp: { name: acme-erp, subscriptions: [{ api: erp-statement, plan: Default }] }
              statement_push:
                main: { account: "108000123456", notify_type: A, cron: "00/1****" }
            icici:
              applications:
                payments: { name: acme-payments, platform: Web, apis: [CIB Registration Status] }
              cib_registrations:
                ops: { corp_id: CIBNEXT, user_id: USER1, aggr_id: AGGR0001, aggr_name: ACME, urn: URN0001 }
            """
    }
}

import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Sandbox
import Testing
import _CryptoExtras

/// A VietinBank sandbox on a free port with its own data folder and a hand-moved clock, and a small client written
/// for these tests from `providers/vietinbank-iconnect.md` alone: gateway headers, the partner's signature, the
/// operator surface that plays the portal and the customer.
struct VietinHarness: Sendable {
    static let mount = "/vietinbank"
    static let clientID = "acme-erp-client"
    static let clientSecret = "acme-erp-secret-7781"

    let transport: SandboxTransport
    let directory: URL
    let clock: SePayTestClock

    var base: String { transport.origin }
    var root: String { transport.origin + Self.mount }

    static func with<T>(tokenTTL: Int = 3600, clock: SePayTestClock = SePayTestClock(), _ body: (VietinHarness) async throws -> T) async throws -> T {
        try await SandboxTransport.inFolder(nil) { folder in
            // The bank's key is the ICICI reference key, put where the sandbox keeps its own: none is made per test.
            try Data(try String(contentsOf: ICICIHarness.keyFile, encoding: .utf8).utf8).write(to: folder.appendingPathComponent("vietinbank-bank-key.pem"))
            let configuration = SandboxConfiguration(port: 0, dataDirectory: folder.path, vietinbankTokenTTL: tokenTTL, now: { clock.now })
            return try await SandboxTransport.onPort(configuration) { transport in
                try await body(VietinHarness(transport: transport, directory: folder, clock: clock))
            }
        }
    }

    /// The reference's throw-away partner key, as the onboarding example ships it.
    static let keyFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/vietinbank-onboarding/keys/sandbox-partner-key.pem")

    /// The partner key the sandbox knows as partner SBX / SBX001.
    static func partnerKey() throws -> _RSA.Signing.PrivateKey {
        try _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOf: keyFile, encoding: .utf8))
    }

    /// Sends a request below `/vietinbank`; `gateway` adds the application's X-IBM headers.
    func call(
        _ method: HTTPMethod, _ path: String, json: String? = nil, form: String? = nil, gateway: (String, String)? = (clientID, clientSecret),
        headers extra: [(String, String)] = []
    ) async throws -> SePayReply {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let gateway { headers += [("X-IBM-Client-Id", gateway.0), ("X-IBM-Client-Secret", gateway.1)] }
        if json != nil { headers.append(("Content-Type", "application/json")) }
        if form != nil { headers.append(("Content-Type", "application/x-www-form-urlencoded")) }
        let body = json ?? form
        let answer = try await transport.send(
            method, target(path), headers: headers + extra,
            body: body.map { ByteBuffer(string: $0) })
        return SePayReply(status: answer.status, headers: answer.headers, body: Array(buffer: answer.body))
    }

    /// The path from the server root: a URL of this sandbox, a path under the mount, or one below it.
    func target(_ path: String) -> String {
        if path.hasPrefix("http") { return String(path.dropFirst(base.count)) }
        return path.hasPrefix(Self.mount + "/") ? path : Self.mount + path
    }

    /// Registers the application in the sandbox's portal.
    func register(callback: String? = nil) async throws {
        var fields: [String: Any] = ["name": "acme-erp", "client_id": Self.clientID, "client_secret": Self.clientSecret]
        fields["callback_url"] = callback
        let reply = try await call(.POST, "/sandbox/applications", json: SePayHarness.object(fields), gateway: nil)
        #expect(reply.status == 201, "\(reply.raw)")
    }

    func subscribe(_ api: String, plan: String = "Default") async throws {
        let reply = try await call(.POST, "/sandbox/applications/\(Self.clientID)/subscriptions", json: SePayHarness.object(["api": api, "plan": plan]), gateway: nil)
        #expect(reply.status == 200, "\(reply.raw)")
    }

    /// A body with `fields` in order and the partner's signature over `signed` of them (all, by default).
    static func signedBody(
        _ fields: [(String, String)], signing signed: [String]? = nil, tamper: (String, String)? = nil, sha1: Bool = false
    ) throws -> String {
        let names = signed ?? fields.map(\.0)
        let text = Data(names.compactMap { name in fields.first { $0.0 == name }?.1 }.joined().utf8)
        let signature = sha1
            ? try partnerKey().signature(for: Insecure.SHA1.hash(data: text), padding: .insecurePKCS1v1_5)
            : try partnerKey().signature(for: SHA256.hash(data: text), padding: .insecurePKCS1v1_5)
        var sent = fields.map { tamper?.0 == $0.0 ? (tamper!.0, tamper!.1) : $0 }
        sent.append(("signature", signature.rawRepresentation.base64EncodedString()))
        let pairs = try sent.map { "\(String(decoding: try JSONEncoder().encode($0.0), as: UTF8.self)):\(String(decoding: try JSONEncoder().encode($0.1), as: UTF8.self))" }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    /// The bank's public key, as the sandbox publishes it for `bank_certificate`.
    func bankCertificate() async throws -> String {
        let reply = try await call(.GET, "/sandbox/certificate", gateway: nil)
        #expect(reply.status == 200)
        return reply.raw
    }
}

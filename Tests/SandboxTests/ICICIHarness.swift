import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Sandbox
import Testing
import _CryptoExtras

/// An ICICI sandbox on a free port with its own data folder, and a small client written for these tests from
/// `providers/icici-api-banking.md` alone: the `apikey` header, the hybrid envelope, the operator surface.
struct ICICIHarness: Sendable {
    static let mount = "/icici"

    let transport: SandboxTransport
    let directory: URL

    var base: String { transport.origin }

    static func with<T>(_ body: (ICICIHarness) async throws -> T) async throws -> T {
        try await SandboxTransport.inFolder(nil) { folder in
            // The bank's key is the VietinBank reference key, put where the sandbox keeps its own: none is made per test.
            try Data(try String(contentsOf: VietinHarness.keyFile, encoding: .utf8).utf8).write(to: folder.appendingPathComponent("icici-bank-key.pem"))
            return try await SandboxTransport.onPort(SandboxConfiguration(port: 0, dataDirectory: folder.path)) { transport in
                try await body(ICICIHarness(transport: transport, directory: folder))
            }
        }
    }

    /// The reference's throw-away key, whose public half the sandbox holds as the client's by default.
    static let keyFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/icici-go-live/keys/sandbox-client-key.pem")

    static func clientKey() throws -> _RSA.Encryption.PrivateKey {
        try _RSA.Encryption.PrivateKey(pemRepresentation: String(contentsOf: keyFile, encoding: .utf8))
    }

    func call(_ path: String, body: String, apikey: String?, contentType: String = "application/json") async throws -> SePayReply {
        var headers: [(String, String)] = [("Accept", "application/json"), ("Content-Type", contentType)]
        if let apikey { headers.append(("apikey", apikey)) }
        let answer = try await transport.send(.POST, Self.mount + path, headers: headers, body: ByteBuffer(string: body))
        return SePayReply(status: answer.status, headers: answer.headers, body: Array(buffer: answer.body))
    }

    /// An operator call; its JSON answer.
    @discardableResult
    func operate(_ path: String, _ fields: [String: Any]) async throws -> [String: Any] {
        try await call("/sandbox" + path, body: SePayHarness.object(fields), apikey: nil).json
    }

    /// Creates an application with `apikey` and selects `apis` on the Sandbox plan.
    func application(_ apikey: String, apis: [String]) async throws {
        try await operate("/applications", ["name": "acme-payments", "platform": "Web", "apikey": apikey])
        for api in apis { try await operate("/applications/\(apikey)/apis", ["api": api, "plan": "Sandbox"]) }
    }

    func bankCertificate() async throws -> String {
        let answer = try await transport.send(.GET, Self.mount + "/sandbox/certificate", headers: [], body: nil)
        #expect(answer.status == 200)
        return String(buffer: answer.body)
    }

    /// A hybrid envelope of `payload` for the bank's key (PKCS#1 v1.5, IV in the field), as a JSON object.
    func envelope(_ payload: String) async throws -> [String: Any] {
        let bank = try _RSA.Encryption.PublicKey(pemRepresentation: try await bankCertificate())
        let session = SymmetricKey(data: Data("3141592653589793".utf8))
        let iv = AES._CBC.IV()
        let wrapped = try session.withUnsafeBytes { try bank.encrypt(Data($0), padding: ._WEAK_AND_INSECURE_PKCS_V1_5) }
        return [
            "requestId": "", "service": "", "encryptedKey": wrapped.base64EncodedString(), "oaepHashingAlgorithm": "NONE",
            "iv": Data(Array(iv)).base64EncodedString(), "encryptedData": try AES._CBC.encrypt(Data(payload.utf8), using: session, iv: iv).base64EncodedString(),
        ]
    }

    /// An answer envelope opened with the client key: the IV is the first 16 bytes of `encryptedData`.
    static func open(_ answer: [String: Any]) throws -> [String: Any] {
        let raw = try clientKey().decrypt(Data(base64Encoded: answer["encryptedKey"] as? String ?? "") ?? Data(), padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
        let data = Data(base64Encoded: answer["encryptedData"] as? String ?? "") ?? Data()
        let plain = try AES._CBC.decrypt(data.dropFirst(16), using: SymmetricKey(data: raw), iv: AES._CBC.IV(ivBytes: data.prefix(16)))
        return (try JSONSerialization.jsonObject(with: plain)) as? [String: Any] ?? [:]
    }
}

/// The ICICI simulator's gateway: the key, the API selection, the envelope's codes, encrypted answers.
@Suite("ICICI API Banking: simulator")
struct ICICISimulatorTests {
    static let registration = #"{"AGGRNAME":"ACME","AGGRID":"AGGR0001","CORPID":"CIBNEXT","USERID":"USER1","URN":"URN0001"}"#
    static let path = "/api/Corporate/CIB/v1/Registration"

    @Test func aTamperedKeyIs8016AndAnUnknownFieldIs8017() async throws {
        try await ICICIHarness.with { icici in
            try await icici.application("key-1", apis: ["CIB Registration"])
            var tampered = try await icici.envelope(Self.registration)
            var key = Array(Data(base64Encoded: tampered["encryptedKey"] as! String)!)
            key[10] ^= 0xFF
            tampered["encryptedKey"] = Data(key).base64EncodedString()
            let refused = try await icici.call(Self.path, body: SePayHarness.object(tampered), apikey: "key-1")
            #expect(refused.status == 400 && refused.json["code"] as? String == "8016" && refused.json["success"] as? Bool == false, "\(refused.raw)")

            var unknown = try await icici.envelope(Self.registration)
            unknown["extra"] = "x"
            let schema = try await icici.call(Self.path, body: SePayHarness.object(unknown), apikey: "key-1")
            #expect(schema.status == 400 && schema.json["code"] as? String == "8017", "\(schema.raw)")
            #expect((schema.json["message"] as? String)?.contains("unknown field extra") == true)
        }
    }

    @Test func theGatewayChecksTheKeyAndTheSelectionBeforeTheEnvelope() async throws {
        try await ICICIHarness.with { icici in
            #expect(try await icici.call(Self.path, body: "{}", apikey: "nobody").status == 401)
            try await icici.application("key-2", apis: ["CIB Registration Status"])
            let forbidden = try await icici.call(Self.path, body: "{}", apikey: "key-2")
            #expect(forbidden.status == 403 && (forbidden.json["message"] as? String)?.contains("Unauthorized API Access") == true)
            try await icici.operate("/applications/key-2/apis", ["api": "CIB Registration", "plan": "Production"])
            #expect(try await icici.call(Self.path, body: "{}", apikey: "key-2").status == 403, "a Production plan answers only in production")
            try await icici.operate("/applications/key-2/apis", ["api": "CIB Registration", "plan": "Sandbox"])
            #expect(try await icici.call(Self.path, body: "{}", apikey: "key-2").json["code"] as? String == "8017")
            try await icici.operate("/applications/key-2/disable", [:])
            #expect(try await icici.call(Self.path, body: "{}", apikey: "key-2").status == 401)
        }
    }

    @Test func registrationIsPendingUntilApprovedAndADuplicateSaysSo() async throws {
        try await ICICIHarness.with { icici in
            try await icici.application("key-3", apis: ["CIB Registration", "CIB Registration Status"])
            let first = try ICICIHarness.open(try await icici.call(Self.path, body: SePayHarness.object(try await icici.envelope(Self.registration)), apikey: "key-3").json)
            #expect(first["Response"] as? String == "SUCCESS")
            let status = "/api/Corporate/CIB/v1/RegistrationStatus"
            let pending = try ICICIHarness.open(try await icici.call(status, body: SePayHarness.object(try await icici.envelope(Self.registration)), apikey: "key-3").json)
            #expect(pending["Status"] as? String == "Pending for Self Approval")
            let again = try ICICIHarness.open(try await icici.call(Self.path, body: SePayHarness.object(try await icici.envelope(Self.registration)), apikey: "key-3").json)
            #expect(again["Message"] as? String == "REGISTRATION FAILED.CORPORATE ALREADY REGISTERED.")
            try await icici.operate("/cib/approve", ["CORPID": "CIBNEXT", "USERID": "USER1"])
            let registered = try ICICIHarness.open(try await icici.call(status, body: SePayHarness.object(try await icici.envelope(Self.registration)), apikey: "key-3").json)
            #expect(registered["Status"] as? String == "Registered")
        }
    }
}

@testable import Banks
import Crypto
import Foundation
import PlanModel
import Reconciler
import Testing
import _CryptoExtras

/// ICICI's wire as the portal source and the newest public integrations show it: printable session keys, the IV in
/// the field or prefixed, every envelope field sent, gateway codes read from `errorCode` or `code`.
@Suite("ICICI API Banking: wire of public integrations")
struct ICICIWireTests {
    static let payload = #"{"AGGRID":"AGGR0001","CORPID":"CIBNEXT","USERID":"USER1","URN":"URN0001"}"#
    static let answer = #"{"Response":"SUCCESS","CORP_ID":"CIBNEXT"}"#

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The session key a sent envelope carries, unwrapped with the bank's key.
    func sessionKey(_ envelope: ICICIEnvelope, bank: _RSA.Encryption.PrivateKey, hashing: ICICIOAEPHashing) throws -> String {
        String(decoding: try bank.decrypt(try #require(Data(base64Encoded: envelope.encryptedKey)), padding: hashing.padding), as: UTF8.self)
    }

    @Test(arguments: [ICICIIVPlacement.field, .prefix], [16, 32])
    func requestsCarryADigitSessionKeyAndEveryEnvelopeField(placement: ICICIIVPlacement, length: Int) throws {
        // The other reference key stands for ICICI's: no key is made per test case.
        let bank = try _RSA.Encryption.PrivateKey(pemRepresentation: vietinBankTestKeyPEM())
        let client = try ICICIEnvelopeTests.key()
        let codec = ICICIPayloadCodec(
            encryption: .hybrid, hashing: .none, bankKey: bank.publicKey, clientKey: client, ivPlacement: placement, sessionKeyLength: length)
        let call = try codec.encode(HTTPCall(method: "POST", url: "http://x/y", body: Array(Self.payload.utf8)))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(call.body ?? [])) as? [String: String])
        #expect(Set(object.keys) == ["requestId", "service", "encryptedKey", "oaepHashingAlgorithm", "iv", "encryptedData", "clientInfo", "optionalParam"])
        #expect(object["requestId"] == "" && object["clientInfo"] == "" && object["optionalParam"] == "" && object["service"] == "")
        let sent = try #require(ICICIEnvelope(json: call.body ?? []))
        let key = try sessionKey(sent, bank: bank, hashing: .none)
        #expect(key.count == length && key.allSatisfy(\.isNumber), "\(key)")
        #expect(placement == .field ? Data(base64Encoded: sent.iv)?.count == 16 : sent.iv == "")
        #expect(text(try sent.open(with: bank)) == Self.payload)
        let other = try #require(ICICIEnvelope(json: try codec.encode(HTTPCall(method: "POST", url: "http://x/y", body: Array(Self.payload.utf8))).body ?? []))
        #expect(try sessionKey(other, bank: bank, hashing: .none) != key, "a fresh key for every request")
    }

    /// An answer sealed with a digit key: `iv` set or empty, the IV prefixed to the ciphertext or to the plaintext.
    static func sealedAnswer(to client: _RSA.Encryption.PublicKey, ivField: Bool, prefixedPlaintext: Bool) throws -> [UInt8] {
        let session = SymmetricKey(data: Data("0123456789012345".utf8))
        let ivText = Array("9876543210987654".utf8)
        let iv = try AES._CBC.IV(ivBytes: ivText)
        let plain = prefixedPlaintext ? ivText + Array(answer.utf8) : Array(answer.utf8)
        let ciphertext = try AES._CBC.encrypt(plain, using: session, iv: iv)
        let wrapped = try session.withUnsafeBytes { try client.encrypt(Data($0), padding: ICICIOAEPHashing.sha1.padding) }
        let data = ivField || prefixedPlaintext ? ciphertext : Data(ivText) + ciphertext
        return ICICIEnvelope(
            encryptedKey: wrapped.base64EncodedString(), oaepHashingAlgorithm: "SHA1", iv: ivField ? Data(ivText).base64EncodedString() : "",
            encryptedData: data.base64EncodedString()
        ).json
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func answersOpenByThePortalsRecipeAndThePrefixedPlaintextVariant(ivField: Bool, prefixedPlaintext: Bool) throws {
        let client = try ICICIEnvelopeTests.key()
        let codec = ICICIPayloadCodec(encryption: .hybrid, hashing: .sha1, bankKey: client.publicKey, clientKey: client)
        let body = try Self.sealedAnswer(to: client.publicKey, ivField: ivField, prefixedPlaintext: prefixedPlaintext)
        #expect(text(try codec.decode(HTTPReply(status: 200, body: body)).body) == Self.answer)
    }

    @Test func aGatewayCodeIsReadFromErrorCodeOrCodeOnAnyAnswerThatIsNot2xx() {
        let reader = ICICIErrorReader()
        let publicShape = HTTPReply(status: 400, body: Array(#"{"errorCode":"8017","description":"Request schema validation failure"}"#.utf8))
        #expect(reader.fault(in: publicShape) == BankFault(code: "8017", message: "Request schema validation failure"))
        let numeric = HTTPReply(status: 500, body: Array(#"{"errorCode":8010,"description":"INTERNAL_SERVICE_FAILURE"}"#.utf8))
        #expect(reader.fault(in: numeric)?.code == "8010")
        let reference = HTTPReply(status: 400, body: Array(#"{"success":false,"code":"8016","message":"Request decryption failure"}"#.utf8))
        #expect(reader.fault(in: reference) == BankFault(code: "8016", message: "Request decryption failure"))
    }

    func provider(_ transport: RecordingTransport, keys: Bool = false) throws -> BankProvider {
        var settings: [String: Value] = ["api_key": .sensitive(Sensitive("key-1"))]
        if keys {
            let pem = try iciciTestKeyPEM()
            settings["bank_certificate"] = .string(try _RSA.Encryption.PrivateKey(pemRepresentation: pem).publicKey.pemRepresentation)
            settings["client_private_key"] = .sensitive(Sensitive(pem))
        }
        return try #require(try ICICIAPIBanking.bank.provider(name: "icici", baseURL: "https://icici.test", settings: settings, wire: transport))
    }

    @Test func theProbeAndTheReportKeepTheCodeOfAGatewayAnsweringErrorCodeAndDescription() async throws {
        let transport = RecordingTransport { call in
            if call.url.hasSuffix("/RegistrationStatus") {
                return RecordingTransport.json(403, #"{"errorCode":"403","description":"Unauthorized API Access"}"#)
            }
            return RecordingTransport.json(400, #"{"errorCode":"8016","description":"Request decryption failure"}"#)
        }
        let application = Resource(
            address: ResourceAddress(instance: "icici", kind: "applications", name: "pay"), providerType: "icici-api-banking", capability: .manual,
            attributes: ["name": .string("pay"), "platform": .string("Web"), "apis": .list([.string("CIB Registration")])],
            location: SourceLocation(file: "b.yaml", line: 1, column: 1))
        let observed = try await provider(transport).refresh([application], state: [:])
        guard case .probed(let probe)? = observed[application.address] else { Issue.record("\(observed)"); return }
        let parts = probe.parts
        #expect(parts.contains { $0.outcome == .verified(evidence: "POST /api/Corporate/CIB/v1/Registration answered HTTP 400, code 8016: Request decryption failure (Sandbox plan)") }, "\(parts)")

        let registration = Resource(
            address: ResourceAddress(instance: "icici", kind: "cib_registrations", name: "ops"), providerType: "icici-api-banking",
            capability: .interactive,
            attributes: ["corp_id": .string("C"), "user_id": .string("U"), "aggr_id": .string("A"), "aggr_name": .string("N"), "urn": .string("R")],
            location: SourceLocation(file: "b.yaml", line: 1, column: 1))
        let provider = try provider(transport, keys: true)
        let change = Change(address: registration.address, action: .interactive)
        let store = StateStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("provision-icici-wire-\(UUID().uuidString)"))
        var state = try store.load()
        let plan = Plan(changes: [change], providers: ["icici": "icici-api-banking"])
        let manifest = Manifest(version: 1, providers: [], resources: [registration])
        let report = try await Applier(providers: ["icici": provider], store: store).apply(plan, manifest: manifest, state: &state)
        let failure = try #require(report.failed.first?.providerError)
        #expect(failure.code == "8016" && failure.message == "Request decryption failure" && failure.status == 400)
        #expect(failure.hint?.contains("bank_certificate") == true, "the code's own advice: \(failure.hint ?? "")")
    }
}

@testable import Banks
import Crypto
import Foundation
import PlanModel
import Reconciler
import Testing
import _CryptoExtras
import ManifestLanguage

/// The reference's throw-away partner key, as the onboarding example ships it.
func vietinBankTestKeyPEM() throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try String(contentsOf: root.appendingPathComponent("examples/vietinbank-onboarding/keys/sandbox-partner-key.pem"), encoding: .utf8)
}

@Suite("VietinBank iConnect: signatures")
struct VietinBankSignerTests {
    /// The bank's own notify-trans sample from the provider reference.
    nonisolated(unsafe) static let sample: [String: Any] = [
        "transId": "501690869", "transTime": "20240201140634", "custCode": "2NDVNDV24012358711", "amount": "875800",
        "bankTransId": "164T24200GKAJ7BY", "remark": "CT DEN:164T24200GKAJ7BY CK",
    ]
    static let fields = ["transId", "transTime", "custCode", "amount", "bankTransId", "remark"]

    @Test func theReferenceVectorReproducesByteForByte() throws {
        let message = try VietinBankSignature.message(Self.fields, in: Self.sample)
        #expect(message == "501690869202402011406342NDVNDV24012358711875800164T24200GKAJ7BYCT DEN:164T24200GKAJ7BY CK")
        #expect(message.utf8.count == 89)
        #expect(SHA256.hex(Array(message.utf8)) == "7a2863a8d01d72a6fba55a90df4d04e3509e2caae1b035b405b362a3b877fbbb")
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: vietinBankTestKeyPEM())
        let signature = try VietinBankSignature.sign(message, key: key, hash: .sha256)
        #expect(signature == "EzMqX2IKJKumGQ5BUiJX8+HOle/gzDHfJ/3W9lecIhtP13/zwB4WJNNKeLKMFwFJzypJ+6b4IpiR97rXh6TqhgMamu7kLMQ+7fPDELNjA9cjbbqvQdNmYL86KU2c5x38gPIUZNt1oQJegnE+wH8uimgSNcXKW94Ve4O+1f0WRrJ1BF/ogDnIZOo+uuE+ytMdFdJR3MsLmph4cpjgRJkV61Y3//ZNZ4jduA6poVCbqJ4K4SRGd+8eBGzpXpRpOeSoUVlel63BSetj6WBpYgbcNcZ4wFlLqYpKhvEoJzJjMIl8tAwguu52rk+h8HSjRfwgVQ+AYIHHWMD0Km2vTzHkuw==")
        #expect(VietinBankSignature.isValid(signature, for: message, key: key.publicKey, hash: .sha256))
        #expect(!VietinBankSignature.isValid(signature, for: message + " ", key: key.publicKey, hash: .sha256))
    }

    @Test func emptyAndAbsentFieldsAreSkipped() throws {
        var sample = Self.sample
        sample["bankTransId"] = ""
        let message = try VietinBankSignature.message(Self.fields + ["absent"], in: sample)
        #expect(message == "501690869202402011406342NDVNDV24012358711875800CT DEN:164T24200GKAJ7BY CK")
        #expect(SHA256.hex(Array(message.utf8)) == "887e859d6d0532dbb31556379102cfeecedb1d3699dc461d69a174b70ad03838")
        let reply = try VietinBankSignature.message(["transId", "errorCode", "errorDesc"], in: ["transId": "501690869", "errorCode": "00", "errorDesc": "Success"])
        #expect(SHA256.hex(Array(reply.utf8)) == "e3a50dd4e34ff9524dfaf36198b2da3a4bd30a65a3c74c3002a98ab277337918")
    }

    @Test func aSignedValueMustBeAJSONString() {
        #expect(throws: VietinBankSignature.NotAString.self) { try VietinBankSignature.message(["amount"], in: ["amount": 875800]) }
        #expect(throws: Never.self) { _ = try VietinBankSignature.message(["status.code"], in: ["status": ["code": "1"]]) }
    }

    @Test func theSignerAppendsTheSignatureAndLeavesTheRestOfTheBodyAsSent() throws {
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: vietinBankTestKeyPEM())
        let signer = VietinBankSigner(basePath: "https://bank", fieldLists: ["/op": ["requestId", "account"]], key: key, hash: .sha1)
        let body = Array(#"{"requestId":"R1","account":"1\/2","other":"x"}"#.utf8)
        let signed = try signer.sign(HTTPCall(method: "POST", url: "https://bank/op", body: body))
        let text = String(decoding: signed.body ?? [], as: UTF8.self)
        #expect(text.hasPrefix(#"{"requestId":"R1","account":"1\/2","other":"x","signature":""#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(signed.body ?? [])) as? [String: Any])
        #expect(VietinBankSignature.isValid(try #require(object["signature"] as? String), for: "R11/2", key: key.publicKey, hash: .sha1))
        let unsigned = try signer.sign(HTTPCall(method: "POST", url: "https://bank/probe", body: Array("{}".utf8)))
        #expect(unsigned.body == Array("{}".utf8), "an operation without a field list is sent as it is")
    }

    @Test func anUnreadableKeyIsASettingProblemOnItsLine() {
        let text = """
            version: 1
            providers:
              vtb:
                type: vietinbank-iconnect
                endpoint: sandbox
                client_id: id
                client_secret: secret
                private_key: "-----BEGIN PRIVATE KEY-----\\nnot a key\\n-----END PRIVATE KEY-----"
                bank_certificate: not a pem
            """
        #expect {
            _ = try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "b.yaml", text: text)])
        } throws: { error in
            let described = "\(error)"
            return described.contains("providers.vtb.private_key") && described.contains("b.yaml:8")
                && described.contains("providers.vtb.bank_certificate") && described.contains("b.yaml:9")
        }
    }
}

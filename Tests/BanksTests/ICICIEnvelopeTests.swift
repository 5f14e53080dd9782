@testable import Banks
import Crypto
import Foundation
import Reconciler
import Testing
import _CryptoExtras

/// The reference's throw-away RSA-2048 key, as the go-live example ships it.
func iciciTestKeyPEM() throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try String(contentsOf: root.appendingPathComponent("examples/icici-go-live/keys/sandbox-client-key.pem"), encoding: .utf8)
}

/// ICICI's hybrid envelope against the provider reference's test vectors (section 3), both ways.
@Suite("ICICI API Banking: payload encryption")
struct ICICIEnvelopeTests {
    static let plaintext = #"{"AGGRID":"AGGR0001","CORPID":"CIBNEXT","USERID":"USER1","URN":"URN0001","ACCOUNTNO":"000405001257"}"#
    static let encryptedKey = "D15FCf0aik85Ddt3MoFcyaEzX/eg5krBG57ySmsC/1kDnr/adN3m2in9Cf94iWsIrTuInGxvlhtqTSi16RE+HO+HOGo7uBt4gd7C2VUmBEH8XSN3UTBmmAbuVUPS3UGnXXKCZz4wsPYG90FFQDYgYQRnAjRootzSGvhd07cAQNpiGRH3mNzhlqGHS/jIl5e+dhTqVXAAhlN03mJZquuaO2RwuyNnQJ+ULPhcWZfxtVJE1kGZ/VjXcFOQPSJuVsRSadc2s3GPeRhN3RMCGm30kN6SsJQL/JQYh50DuFMjp3fjutvg6+mUeNl5aZXZhv3TRPk63lM5frhRFaJ06gJvHA=="
    static let ivField = "NjU0MzIxMDk4NzY1NDMyMQ=="
    static let dataA = "CHJlef1UwjW/sN8RG9E7GL9m+5AUs/5kyD8gDPNSxJ81tc4JGEEXYfaMf+Y62r1q2YHgF7d+wC/B4gXG0Be7iO5pkBm75Fv3SOgvJqlyFoHbJ33UtvdpFZZow/wvwEKxj9U9wiFV0R0v9QhIx8f4IA=="
    static let dataB = "NjU0MzIxMDk4NzY1NDMyMQhyZXn9VMI1v7DfERvROxi/ZvuQFLP+ZMg/IAzzUsSfNbXOCRhBF2H2jH/mOtq9atmB4Be3fsAvweIFxtAXu4juaZAZu+Rb90joLyapchaB2yd91Lb3aRWWaMP8L8BCsY/VPcIhVdEdL/UISMfH+CA="
    static let responsePlaintext = #"{"RESPONSE":"SUCCESS","CORP_ID":"CIBNEXT","USER_ID":"USER1","AGGR_ID":"AGGR0001","URN":"URN0001","ACCOUNTNO":"000405001257","EFFECTIVEBAL":"1000.00","CURRENCY":"INR"}"#
    static let responseData = "MDAwMDExMTEyMjIyMzMzM7DlQm32laWDwy+RpfPWkffDt0H6prcLwEH4uwyLH+8t3nnknlL9P8enVlJWeJAghKQ2XSfrZPLM7xQAimIk/9j4j5SqYKDTEUgXkYh1TDiCIB1WTsKvUauEw37bXjKFTagHLtqv4iV5DxzwGg18Fi7gyy1hyTh9de18JBE5jWCo3HeiuLzcHXn9OnmLUAWylAF4n/yKCbDL8C5JQgxiOCzBO4IVhSnm0i4zhGVJ9nRR"

    static func key() throws -> _RSA.Encryption.PrivateKey {
        try _RSA.Encryption.PrivateKey(pemRepresentation: iciciTestKeyPEM())
    }

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func theGivenEncryptedKeyUnwrapsToTheSessionKey() throws {
        let raw = try Self.key().decrypt(try #require(Data(base64Encoded: Self.encryptedKey)), padding: ICICIOAEPHashing.none.padding)
        #expect(String(decoding: raw, as: UTF8.self) == "1234567890123456")
    }

    @Test func theReferenceEnvelopesDecryptWithTheIVInTheFieldOrPrefixed() throws {
        let a = ICICIEnvelope(encryptedKey: Self.encryptedKey, oaepHashingAlgorithm: "NONE", iv: Self.ivField, encryptedData: Self.dataA)
        #expect(text(try a.open(with: Self.key())) == Self.plaintext)
        let b = ICICIEnvelope(encryptedKey: Self.encryptedKey, oaepHashingAlgorithm: "NONE", iv: "", encryptedData: Self.dataB)
        #expect(text(try b.open(with: Self.key())) == Self.plaintext)
        let response = ICICIEnvelope(encryptedKey: Self.encryptedKey, oaepHashingAlgorithm: "NONE", iv: "", encryptedData: Self.responseData)
        #expect(text(try response.open(with: Self.key())) == Self.responsePlaintext)
    }

    @Test func sealingWithTheVectorsKeyAndIVReproducesTheReferenceCiphertexts() throws {
        let key = try Self.key()
        let session = SymmetricKey(data: Data("1234567890123456".utf8))
        let iv = try AES._CBC.IV(ivBytes: Array("6543210987654321".utf8))
        let a = try ICICIEnvelope.seal(Array(Self.plaintext.utf8), to: key.publicKey, hashing: .none, sessionKey: session, iv: iv)
        #expect(a.iv == Self.ivField && a.encryptedData == Self.dataA && a.oaepHashingAlgorithm == "NONE")
        #expect(text(try a.open(with: key)) == Self.plaintext, "the RSA-wrapped key is random, so it is checked by decrypting")
        let b = try ICICIEnvelope.seal(Array(Self.plaintext.utf8), to: key.publicKey, hashing: .none, ivInField: false, sessionKey: session, iv: iv)
        #expect(b.iv == "" && b.encryptedData == Self.dataB)
    }

    @Test func freshSessionKeysAndIVsRoundTripWithEitherPadding() throws {
        let key = try Self.key()
        for hashing in [ICICIOAEPHashing.none, .sha1] {
            let first = try ICICIEnvelope.seal(Array(Self.plaintext.utf8), to: key.publicKey, hashing: hashing)
            let second = try ICICIEnvelope.seal(Array(Self.plaintext.utf8), to: key.publicKey, hashing: hashing)
            #expect(first.iv != second.iv && first.encryptedData != second.encryptedData, "a fresh key and IV every time")
            #expect(text(try first.open(with: key)) == Self.plaintext)
            #expect(first.oaepHashingAlgorithm == hashing.rawValue)
        }
        let aes256 = try ICICIEnvelope.seal(Array(Self.plaintext.utf8), to: key.publicKey, hashing: .sha1, sessionKey: SymmetricKey(size: .bits256))
        #expect(text(try aes256.open(with: key)) == Self.plaintext)
    }

    @Test func theCodecSealsToTheBankAndOpensAnswersSealedToTheClient() throws {
        let bank = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        let client = try Self.key()
        let codec = ICICIPayloadCodec(encryption: .hybrid, hashing: .sha1, bankKey: bank.publicKey, clientKey: client)
        let call = try codec.encode(HTTPCall(method: "POST", url: "http://x/y", headers: [("Content-Type", "application/json")], body: Array(Self.plaintext.utf8)))
        let sent = try #require(ICICIEnvelope(json: call.body ?? []))
        #expect(text(try sent.open(with: bank)) == Self.plaintext)
        #expect(throws: ICICIEnvelopeError.keyUnwrapFailed) { try sent.open(with: client) }

        let answer = try ICICIEnvelope.seal(Array(Self.responsePlaintext.utf8), to: client.publicKey, hashing: .sha1, ivInField: false)
        #expect(text(try codec.decode(HTTPReply(status: 200, body: answer.json)).body) == Self.responsePlaintext)
        let gateway = Array(#"{"success":false,"code":"8016","message":"Request decryption failure"}"#.utf8)
        #expect(try codec.decode(HTTPReply(status: 400, body: gateway)).body == gateway, "gateway errors are plain JSON")
    }

    @Test func asymmetricModeFitsTheRSABlockOrSaysToUseHybrid() throws {
        let client = try Self.key()
        let codec = ICICIPayloadCodec(encryption: .asymmetric, hashing: .none, bankKey: client.publicKey, clientKey: client)
        let call = try codec.encode(HTTPCall(method: "POST", url: "http://x/y", body: Array(Self.plaintext.utf8)))
        #expect(call.header("Content-Type") == "text/plain")
        #expect(text(try codec.decode(HTTPReply(status: 200, body: call.body ?? [])).body) == Self.plaintext)
        #expect(throws: ICICIEnvelopeError.tooLargeForRSA(bytes: 300, maximum: 245)) {
            try codec.encode(HTTPCall(method: "POST", url: "http://x/y", body: Array(repeating: 65, count: 300)))
        }
    }
}

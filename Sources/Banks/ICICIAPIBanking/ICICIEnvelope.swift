import Crypto
import Foundation
import _CryptoExtras

/// How the RSA part of ICICI's encryption is padded: the envelope's `oaepHashingAlgorithm`.
enum ICICIOAEPHashing: String, Sendable {
    /// RSA/ECB/PKCS1Padding (PKCS#1 v1.5).
    case none = "NONE"
    /// RSA-OAEP with SHA-1 and MGF1-SHA1.
    case sha1 = "SHA1"

    var padding: _RSA.Encryption.Padding {
        switch self {
        case .none: ._WEAK_AND_INSECURE_PKCS_V1_5
        case .sha1: .PKCS1_OAEP
        }
    }
}

/// Why a payload could not be sealed or opened.
enum ICICIEnvelopeError: Error, Equatable, CustomStringConvertible {
    case notAnEnvelope(String)
    case keyUnwrapFailed
    case badSessionKey(bytes: Int)
    case badIV(String)
    case decryptionFailed
    case tooLargeForRSA(bytes: Int, maximum: Int)

    var description: String {
        switch self {
        case .notAnEnvelope(let reason): "it is not ICICI's encrypted envelope (\(reason))"
        case .keyUnwrapFailed:
            "its encryptedKey does not decrypt with client_private_key; check that ICICI holds the certificate of this key, and oaep_hashing"
        case .badSessionKey(let bytes): "its session key has \(bytes) bytes, not 16 or 32"
        case .badIV(let reason): "its IV is unusable (\(reason))"
        case .decryptionFailed: "its encryptedData does not decrypt to JSON with the session key (bad padding or wrong key)"
        case .tooLargeForRSA(let bytes, let maximum):
            "the payload has \(bytes) bytes, and asymmetric encryption with this key takes at most \(maximum); set encryption: hybrid"
        }
    }
}

/// Where a request's IV travels: Base64 in `iv` (the portal's "recommended"), or as the first 16 bytes of
/// `encryptedData` with `iv: ""` (the newest public integrations).
enum ICICIIVPlacement: String, Sendable {
    case field
    case prefix
}

/// ICICI's session keys: printable ASCII, as the portal describes them ("a randomly generated string of length 16
/// (or 32)") and the newest integrations send them (digits), so that a gateway that makes a string of the decrypted
/// key reads the same bytes.
enum ICICISessionKey {
    /// `length` random ASCII digits (16 for AES-128, 32 for AES-256), as the AES key's bytes.
    static func digits(_ length: Int = 16) -> SymmetricKey {
        var generator = SystemRandomNumberGenerator()
        return SymmetricKey(data: (0..<length).map { _ in UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &generator) })
    }
}

/// ICICI's hybrid envelope (provider reference §3): a random AES session key wrapped with the receiver's RSA key,
/// the payload AES/CBC/PKCS5-encrypted with it, the IV in `iv` or prefixed to `encryptedData`.
struct ICICIEnvelope: Sendable, Equatable {
    var requestID: String = ""
    var service: String = ""
    var encryptedKey: String
    var oaepHashingAlgorithm: String
    var iv: String
    var encryptedData: String
    var clientInfo: String = ""
    var optionalParam: String = ""

    /// Seals `payload` for the holder of `key`: a fresh session key of 16 digits and a fresh IV unless given.
    static func seal(
        _ payload: [UInt8], to key: _RSA.Encryption.PublicKey, hashing: ICICIOAEPHashing, ivInField: Bool = true,
        sessionKey: SymmetricKey = ICICISessionKey.digits(), iv: AES._CBC.IV = AES._CBC.IV()
    ) throws -> ICICIEnvelope {
        let wrapped = try sessionKey.withUnsafeBytes { try key.encrypt(Data($0), padding: hashing.padding) }
        let ciphertext = try AES._CBC.encrypt(payload, using: sessionKey, iv: iv)
        let ivBytes = Data(Array(iv))
        return ICICIEnvelope(
            encryptedKey: wrapped.base64EncodedString(), oaepHashingAlgorithm: hashing.rawValue,
            iv: ivInField ? ivBytes.base64EncodedString() : "",
            encryptedData: (ivInField ? ciphertext : ivBytes + ciphertext).base64EncodedString())
    }

    /// The payload, by the portal's recipe: with `iv` empty the IV is the first 16 bytes of `encryptedData` (which also
    /// opens a plaintext prefixed with 16 characters that were its IV); with `iv` set, the whole of `encryptedData`
    /// under it, dropping a 16-character prefix when only that makes the plaintext JSON. It must be JSON.
    func open(with key: _RSA.Encryption.PrivateKey) throws -> [UInt8] {
        guard let hashing = ICICIOAEPHashing(rawValue: oaepHashingAlgorithm.isEmpty ? "NONE" : oaepHashingAlgorithm.uppercased()) else {
            throw ICICIEnvelopeError.notAnEnvelope("oaepHashingAlgorithm is \(oaepHashingAlgorithm), not NONE or SHA1")
        }
        guard let wrapped = Data(base64Encoded: encryptedKey), let data = Data(base64Encoded: encryptedData) else {
            throw ICICIEnvelopeError.notAnEnvelope("encryptedKey or encryptedData is not Base64")
        }
        guard let raw = try? key.decrypt(wrapped, padding: hashing.padding) else { throw ICICIEnvelopeError.keyUnwrapFailed }
        guard raw.count == 16 || raw.count == 32 else { throw ICICIEnvelopeError.badSessionKey(bytes: raw.count) }
        let session = SymmetricKey(data: raw)
        if iv.isEmpty {
            guard data.count > 16 else { throw ICICIEnvelopeError.badIV("encryptedData is shorter than its IV") }
            let plain = try? AES._CBC.decrypt(data.dropFirst(16), using: session, iv: AES._CBC.IV(ivBytes: data.prefix(16)))
            guard let plain, Self.isJSON(plain) else { throw ICICIEnvelopeError.decryptionFailed }
            return Array(plain)
        }
        guard let given = Data(base64Encoded: iv), given.count == 16 else { throw ICICIEnvelopeError.badIV("iv is not 16 Base64 bytes") }
        guard let plain = try? AES._CBC.decrypt(data, using: session, iv: AES._CBC.IV(ivBytes: given)) else {
            throw ICICIEnvelopeError.decryptionFailed
        }
        if Self.isJSON(plain) { return Array(plain) }
        guard plain.count > 16, Self.isJSON(plain.dropFirst(16)) else { throw ICICIEnvelopeError.decryptionFailed }
        return Array(plain.dropFirst(16))
    }

    static func isJSON(_ data: some DataProtocol) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed])) != nil
    }

    /// The envelope as JSON: all eight fields, those unused as `""`, as the portal's sample sends them.
    var json: [UInt8] {
        ICICIJSON.encode([
            "requestId": requestID, "service": service, "encryptedKey": encryptedKey, "oaepHashingAlgorithm": oaepHashingAlgorithm, "iv": iv,
            "encryptedData": encryptedData, "clientInfo": clientInfo, "optionalParam": optionalParam,
        ])
    }

    /// Reads an envelope; nil when `body` is not a JSON object carrying `encryptedKey` and `encryptedData`.
    init?(json body: [UInt8]) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let key = object["encryptedKey"] as? String, let data = object["encryptedData"] as? String
        else { return nil }
        self.init(
            requestID: object["requestId"] as? String ?? "", service: object["service"] as? String ?? "", encryptedKey: key,
            oaepHashingAlgorithm: object["oaepHashingAlgorithm"] as? String ?? "NONE", iv: object["iv"] as? String ?? "",
            encryptedData: data, clientInfo: object["clientInfo"] as? String ?? "", optionalParam: object["optionalParam"] as? String ?? "")
    }

    init(
        requestID: String = "", service: String = "", encryptedKey: String, oaepHashingAlgorithm: String, iv: String, encryptedData: String,
        clientInfo: String = "", optionalParam: String = ""
    ) {
        self.requestID = requestID
        self.service = service
        self.encryptedKey = encryptedKey
        self.oaepHashingAlgorithm = oaepHashingAlgorithm
        self.iv = iv
        self.encryptedData = encryptedData
        self.clientInfo = clientInfo
        self.optionalParam = optionalParam
    }
}

/// ICICI's legacy asymmetric scheme: the whole payload RSA-encrypted, Base64, as `text/plain`.
enum ICICIAsymmetric {
    static func seal(_ payload: [UInt8], to key: _RSA.Encryption.PublicKey, hashing: ICICIOAEPHashing) throws -> [UInt8] {
        let maximum = key.maximumEncryptSize(with: hashing.padding)
        guard payload.count <= maximum else { throw ICICIEnvelopeError.tooLargeForRSA(bytes: payload.count, maximum: maximum) }
        return Array(try key.encrypt(payload, padding: hashing.padding).base64EncodedString().utf8)
    }

    static func open(_ body: [UInt8], with key: _RSA.Encryption.PrivateKey, hashing: ICICIOAEPHashing) throws -> [UInt8] {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: text) else { throw ICICIEnvelopeError.notAnEnvelope("the body is not Base64") }
        guard let plain = try? key.decrypt(data, padding: hashing.padding) else { throw ICICIEnvelopeError.keyUnwrapFailed }
        return Array(plain)
    }
}

/// Compact JSON with sorted keys: ICICI does not canonicalise, any valid JSON works.
enum ICICIJSON {
    static func encode(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8))
    }
}

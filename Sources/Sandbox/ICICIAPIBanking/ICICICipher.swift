import Crypto
import Foundation
import _CryptoExtras

/// The gateway's side of ICICI's payload encryption (reference §3): opens hybrid envelopes (the IV in `iv` or prefixed
/// to `encryptedData`, the session key a string of 16 or 32 printable characters) and RSA-only bodies sent to the bank's
/// key, and seals answers to the client's key (a 16-digit session key, the IV prefixed to `encryptedData`, `iv` empty).
enum ICICICipher {
    /// Envelope fields the gateway's schema allows.
    static let envelopeFields: Set<String> = ["requestId", "service", "encryptedKey", "oaepHashingAlgorithm", "iv", "encryptedData", "clientInfo", "optionalParam"]

    /// A request the gateway refuses before the backend: its code and message.
    struct Refusal: Error {
        var code: String
        var message: String

        static func decryption(_ why: String) -> Refusal { Refusal(code: "8016", message: "Request decryption failure: \(why)") }
        static func schema(_ why: String) -> Refusal { Refusal(code: "8017", message: "Request schema validation failure: \(why)") }
    }

    static func publicKey(_ pem: String) -> _RSA.Encryption.PublicKey? {
        try? _RSA.Encryption.PublicKey(pemRepresentation: pem)
    }

    static func padding(_ algorithm: String) -> _RSA.Encryption.Padding? {
        switch algorithm.uppercased() {
        case "", "NONE": ._WEAK_AND_INSECURE_PKCS_V1_5
        case "SHA1": .PKCS1_OAEP
        default: nil
        }
    }

    /// The envelope's payload and the padding its key was wrapped with.
    static func openEnvelope(_ body: [UInt8], key: _RSA.Encryption.PrivateKey) throws(Refusal) -> (payload: [String: Any], algorithm: String) {
        guard let envelope = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { throw .schema("the body is not a JSON object") }
        if let unknown = envelope.keys.sorted().first(where: { !envelopeFields.contains($0) }) { throw .schema("unknown field \(unknown)") }
        guard let wrapped = envelope["encryptedKey"] as? String, let sealed = envelope["encryptedData"] as? String else {
            throw .schema("encryptedKey and encryptedData are required")
        }
        guard envelope["service"] is String else { throw .schema("service is required (it may be \"\")") }
        let algorithm = envelope["oaepHashingAlgorithm"] as? String ?? "NONE"
        guard let padding = padding(algorithm) else { throw .schema("oaepHashingAlgorithm must be NONE or SHA1") }
        guard let wrappedBytes = Data(base64Encoded: wrapped), let raw = try? key.decrypt(wrappedBytes, padding: padding) else {
            throw .decryption("encryptedKey does not decrypt with the bank's key")
        }
        guard raw.count == 16 || raw.count == 32 else { throw .decryption("the session key has \(raw.count) bytes") }
        // The gateway reads the decrypted key as a string: bytes outside printable ASCII do not survive that.
        guard raw.allSatisfy({ (0x20...0x7E).contains($0) }) else { throw .decryption("the session key is not a string of 16 or 32 printable characters") }
        guard var data = Data(base64Encoded: sealed) else { throw .decryption("encryptedData is not Base64") }
        let iv: Data
        if let given = envelope["iv"] as? String, !given.isEmpty {
            guard let bytes = Data(base64Encoded: given), bytes.count == 16 else { throw .decryption("iv is not 16 bytes") }
            iv = bytes
        } else {
            guard data.count > 16 else { throw .decryption("encryptedData holds no IV") }
            iv = data.prefix(16)
            data = Data(data.dropFirst(16))
        }
        guard let ivValue = try? AES._CBC.IV(ivBytes: iv), let plain = try? AES._CBC.decrypt(data, using: SymmetricKey(data: raw), iv: ivValue),
              let payload = (try? JSONSerialization.jsonObject(with: plain)) as? [String: Any]
        else { throw .decryption("bad padding, wrong session key, or the payload is not JSON") }
        return (payload, algorithm)
    }

    /// An RSA-only body: Base64 of the payload encrypted with the bank's key (PKCS#1 v1.5, or OAEP).
    static func openAsymmetric(_ body: [UInt8], key: _RSA.Encryption.PrivateKey) throws(Refusal) -> (payload: [String: Any], algorithm: String) {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: text) else { throw .decryption("the body is not Base64") }
        for algorithm in ["NONE", "SHA1"] {
            if let plain = try? key.decrypt(data, padding: padding(algorithm)!),
               let payload = (try? JSONSerialization.jsonObject(with: plain)) as? [String: Any] {
                return (payload, algorithm)
            }
        }
        throw .decryption("the body does not decrypt with the bank's key")
    }

    /// An answer sealed to the client: a fresh session key, wrapped as the request's was; the IV prefixed to the data.
    static func sealEnvelope(_ answer: [String: Any], to key: _RSA.Encryption.PublicKey, algorithm: String) throws -> [String: Any] {
        let plain = try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys, .withoutEscapingSlashes])
        var generator = SystemRandomNumberGenerator()
        let session = SymmetricKey(data: (0..<16).map { _ in UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &generator) })
        let iv = AES._CBC.IV()
        let wrapped = try session.withUnsafeBytes { try key.encrypt(Data($0), padding: padding(algorithm) ?? ._WEAK_AND_INSECURE_PKCS_V1_5) }
        let sealed = Data(Array(iv)) + (try AES._CBC.encrypt(plain, using: session, iv: iv))
        return ["requestId": "", "service": "", "encryptedKey": wrapped.base64EncodedString(), "oaepHashingAlgorithm": algorithm.uppercased(),
                "iv": "", "encryptedData": sealed.base64EncodedString(), "clientInfo": "", "optionalParam": ""]
    }

    static func sealAsymmetric(_ answer: [String: Any], to key: _RSA.Encryption.PublicKey, algorithm: String) throws -> [UInt8] {
        let plain = try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys, .withoutEscapingSlashes])
        return Array(try key.encrypt(plain, padding: padding(algorithm) ?? ._WEAK_AND_INSECURE_PKCS_V1_5).base64EncodedString().utf8)
    }
}

/// The bank's encryption key: made on first use and kept in the data folder (`icici-bank-key.pem`, mode 0600, and
/// its public half in `icici-bank-certificate.pem` for a manifest's `bank_certificate`).
actor ICICIBankKey {
    let folder: URL?
    private var key: _RSA.Encryption.PrivateKey?

    init(folder: URL?) {
        self.folder = folder
    }

    var privateFile: URL? { folder?.appendingPathComponent("icici-bank-key.pem") }
    var publicFile: URL? { folder?.appendingPathComponent("icici-bank-certificate.pem") }

    func current() throws -> _RSA.Encryption.PrivateKey {
        if let key { return key }
        let pem = try SandboxKeyFile.privatePEM(privateFile, publicFile: publicFile) {
            let made = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
            return (made.pemRepresentation, made.publicKey.pemRepresentation)
        }
        let read = try _RSA.Encryption.PrivateKey(pemRepresentation: pem)
        key = read
        return read
    }

    func publicPEM() throws -> String {
        try current().publicKey.pemRepresentation + "\n"
    }

    /// The key, outside the actor (its DER crosses the boundary, the key is rebuilt from it).
    nonisolated func privateKey() async throws -> _RSA.Encryption.PrivateKey {
        try _RSA.Encryption.PrivateKey(derRepresentation: await der())
    }

    func der() throws -> Data {
        try current().derRepresentation
    }
}

import Crypto
import Foundation
import _CryptoExtras

/// The hash a partner signs with, and the bank answers it with: SHA-256, or SHA-1 for legacy connectors.
enum VietinHash: String, Sendable {
    case sha256 = "SHA256"
    case sha1 = "SHA1"
}

/// VietinBank's signatures as the sandbox checks and makes them: RSA PKCS#1 v1.5, by the partner's hash, over the
/// values of a field list concatenated without separator, absent or empty values skipped.
enum VietinSigning {
    /// Request fields VietinBank checks, per operation, as public ERP integrations sign them (statement register:
    /// `outputFolder` is sent but not signed).
    static let requestFields: [String: [String]] = [
        "/erp/v1/statement/inquiry": ["requestId", "providerId", "merchantId", "account"],
        "/erp/v1/statement/register": [
            "requestId", "providerId", "merchantId", "agencyType", "account", "notifyType", "cronExpress", "transTime", "channel", "version",
            "clientIP", "language",
        ],
    ]
    /// What VietinBank signs in its answers.
    static let answerFields = ["requestId", "providerId", "merchantId", "status.code"]

    /// The concatenated values, or nil when a listed value is not a string.
    static func text(_ fields: [String], of body: [String: Any]) -> String? {
        var text = ""
        for field in fields {
            var value: Any? = body
            for part in field.split(separator: ".") { value = (value as? [String: Any])?[String(part)] }
            guard let value, !(value is NSNull) else { continue }
            guard let string = value as? String else { return nil }
            text += string
        }
        return text
    }

    static func publicKey(_ pem: String) -> _RSA.Signing.PublicKey? {
        try? _RSA.Signing.PublicKey(pemRepresentation: pem)
    }

    /// Whether `signature` (Base64) signs `text` with `key`, by the partner's hash only.
    static func verifies(_ signature: String, text: String, key: _RSA.Signing.PublicKey, hash: VietinHash) -> Bool {
        guard let raw = Data(base64Encoded: signature) else { return false }
        let signed = _RSA.Signing.RSASignature(rawRepresentation: raw)
        let bytes = Data(text.utf8)
        return switch hash {
        case .sha256: key.isValidSignature(signed, for: SHA256.hash(data: bytes), padding: .insecurePKCS1v1_5)
        case .sha1: key.isValidSignature(signed, for: Insecure.SHA1.hash(data: bytes), padding: .insecurePKCS1v1_5)
        }
    }

    static func sign(_ text: String, key: _RSA.Signing.PrivateKey, hash: VietinHash) -> String {
        let bytes = Data(text.utf8)
        let signature = switch hash {
        case .sha256: try? key.signature(for: SHA256.hash(data: bytes), padding: .insecurePKCS1v1_5)
        case .sha1: try? key.signature(for: Insecure.SHA1.hash(data: bytes), padding: .insecurePKCS1v1_5)
        }
        return signature?.rawRepresentation.base64EncodedString() ?? ""
    }
}

/// The bank's own signing key: made on first use and kept in the data folder (`vietinbank-bank-key.pem`, mode 0600,
/// and its public half in `vietinbank-bank-public.pem` for a manifest's `bank_certificate`).
actor VietinBankKey {
    let folder: URL?
    private var key: _RSA.Signing.PrivateKey?

    init(folder: URL?) {
        self.folder = folder
    }

    var privateFile: URL? { folder?.appendingPathComponent("vietinbank-bank-key.pem") }
    var publicFile: URL? { folder?.appendingPathComponent("vietinbank-bank-public.pem") }

    /// The key, read from the data folder or made (and written there) now.
    func current() throws -> _RSA.Signing.PrivateKey {
        if let key { return key }
        let pem = try SandboxKeyFile.privatePEM(privateFile, publicFile: publicFile) {
            let made = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            return (made.pemRepresentation, made.publicKey.pemRepresentation)
        }
        let read = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        key = read
        return read
    }

    func publicPEM() throws -> String {
        try current().publicKey.pemRepresentation + "\n"
    }
}

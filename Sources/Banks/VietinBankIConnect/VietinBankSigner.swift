import Crypto
import Foundation
import PlanModel
import Reconciler
import X509
import _CryptoExtras

/// The hash of VietinBank's RSA PKCS#1 v1.5 signatures: SHA-256 today, SHA-1 for legacy connectors.
enum VietinBankHash: String, Sendable {
    case sha256 = "SHA256"
    case sha1 = "SHA1"
}

/// VietinBank's body signature: RSASSA-PKCS1-v1_5 over the values of an operation's field list, concatenated
/// (UTF-8, no separator, absent or empty fields skipped, values exactly as sent), Base64 in the field `signature`.
enum VietinBankSignature {
    /// A signed field whose value is not a JSON string.
    struct NotAString: Error, CustomStringConvertible {
        var field: String
        var description: String { "the signed field \(field) is not a JSON string; VietinBank signs string values only" }
    }

    /// The text signed: the values of `fields` in order; a dotted field (`status.code`) is read inside an object.
    static func message(_ fields: [String], in object: [String: Any]) throws -> String {
        var text = ""
        for field in fields {
            guard let value = lookup(field, in: object), !(value is NSNull) else { continue }
            guard let string = value as? String else { throw NotAString(field: field) }
            text += string
        }
        return text
    }

    static func lookup(_ field: String, in object: [String: Any]) -> Any? {
        var current: Any? = object
        for part in field.split(separator: ".") {
            current = (current as? [String: Any])?[String(part)]
        }
        return current
    }

    static func sign(_ message: String, key: _RSA.Signing.PrivateKey, hash: VietinBankHash) throws -> String {
        let bytes = Data(message.utf8)
        let signature = switch hash {
        case .sha256: try key.signature(for: SHA256.hash(data: bytes), padding: .insecurePKCS1v1_5)
        case .sha1: try key.signature(for: Insecure.SHA1.hash(data: bytes), padding: .insecurePKCS1v1_5)
        }
        return signature.rawRepresentation.base64EncodedString()
    }

    static func isValid(_ signature: String, for message: String, key: _RSA.Signing.PublicKey, hash: VietinBankHash) -> Bool {
        guard let raw = Data(base64Encoded: signature) else { return false }
        let bytes = Data(message.utf8)
        let decoded = _RSA.Signing.RSASignature(rawRepresentation: raw)
        return switch hash {
        case .sha256: key.isValidSignature(decoded, for: SHA256.hash(data: bytes), padding: .insecurePKCS1v1_5)
        case .sha1: key.isValidSignature(decoded, for: Insecure.SHA1.hash(data: bytes), padding: .insecurePKCS1v1_5)
        }
    }

    /// The public key of a PEM certificate (`BEGIN CERTIFICATE`) or public key (`BEGIN PUBLIC KEY` / `RSA PUBLIC KEY`).
    static func publicKey(pem: String) throws -> _RSA.Signing.PublicKey {
        guard pem.contains("BEGIN CERTIFICATE") else { return try _RSA.Signing.PublicKey(pemRepresentation: pem) }
        let certificate = try Certificate(pemEncoded: pem)
        guard let key = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSLocalizedDescriptionKey: "the certificate's key is not an RSA key"])
        }
        return key
    }
}

/// Signs the body of calls to operations with a field list: parses it, signs the listed values and appends
/// `"signature"` to the object, leaving every byte sent before it as it was.
struct VietinBankSigner: RequestSigner {
    /// The base URL operation paths are measured from.
    let basePath: String
    let fieldLists: [String: [String]]
    let key: _RSA.Signing.PrivateKey
    let hash: VietinBankHash

    func sign(_ call: HTTPCall) throws -> HTTPCall {
        let operation = call.url.hasPrefix(basePath) ? String(call.url.dropFirst(basePath.count)) : call.url
        guard let fields = fieldLists[operation], var body = call.body,
              let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let end = body.lastIndex(of: UInt8(ascii: "}"))
        else { return call }
        let signature = try VietinBankSignature.sign(VietinBankSignature.message(fields, in: object), key: key, hash: hash)
        let separator = object.isEmpty ? "" : ","
        body.insert(contentsOf: Array("\(separator)\"signature\":\"\(signature)\"".utf8), at: end)
        var signed = call
        signed.body = body
        return signed
    }
}

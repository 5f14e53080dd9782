import Foundation
import Reconciler
import _CryptoExtras

/// How ICICI's payloads are encrypted: `hybrid` (RSA-wrapped AES session key in a JSON envelope) or `asymmetric`
/// (legacy products: the whole payload RSA-encrypted, `text/plain`).
enum ICICIEncryption: String, Sendable {
    case hybrid
    case asymmetric
}

/// Encrypts every request body to ICICI's certificate and decrypts every answer with the client's key.
///
/// Each attempt gets a fresh session key (printable digits, 16 or 32 of them) and IV, the IV in `iv` or prefixed to
/// `encryptedData` as `iv_placement` says. Gateway errors (any answer that is not 2xx, and plain JSON carrying
/// `success`) pass through untouched for the error reader; an answer that cannot be opened throws `ICICIEnvelopeError`.
///
/// The keys are held as DER (swift-crypto's encryption keys are not `Sendable`) and rebuilt for each call.
struct ICICIPayloadCodec: PayloadCodec {
    let encryption: ICICIEncryption
    let hashing: ICICIOAEPHashing
    let ivPlacement: ICICIIVPlacement
    /// 16 (AES-128) or 32 (AES-256).
    let sessionKeyLength: Int
    let bankKeyDER: Data
    let clientKeyDER: Data

    init(
        encryption: ICICIEncryption, hashing: ICICIOAEPHashing, bankKey: _RSA.Encryption.PublicKey, clientKey: _RSA.Encryption.PrivateKey,
        ivPlacement: ICICIIVPlacement = .field, sessionKeyLength: Int = 16
    ) {
        self.encryption = encryption
        self.hashing = hashing
        self.ivPlacement = ivPlacement
        self.sessionKeyLength = sessionKeyLength
        bankKeyDER = bankKey.derRepresentation
        clientKeyDER = clientKey.derRepresentation
    }

    var bankKey: _RSA.Encryption.PublicKey { get throws { try _RSA.Encryption.PublicKey(derRepresentation: bankKeyDER) } }
    var clientKey: _RSA.Encryption.PrivateKey { get throws { try _RSA.Encryption.PrivateKey(derRepresentation: clientKeyDER) } }

    func encode(_ call: HTTPCall) throws -> HTTPCall {
        guard let body = call.body else { return call }
        var call = call
        call.headers.removeAll { $0.name.lowercased() == "content-type" }
        switch encryption {
        case .hybrid:
            let sessionKey = ICICISessionKey.digits(sessionKeyLength)
            call.body = try ICICIEnvelope.seal(body, to: try bankKey, hashing: hashing, ivInField: ivPlacement == .field, sessionKey: sessionKey).json
            call.headers.append(("Content-Type", "application/json"))
        case .asymmetric:
            call.body = try ICICIAsymmetric.seal(body, to: try bankKey, hashing: hashing)
            call.headers.append(("Content-Type", "text/plain"))
        }
        return call
    }

    func decode(_ reply: HTTPReply) throws -> HTTPReply {
        guard (200..<300).contains(reply.status), !Self.isPlainGatewayAnswer(reply.body) else { return reply }
        var reply = reply
        switch encryption {
        case .hybrid:
            guard let envelope = ICICIEnvelope(json: reply.body) else { throw ICICIEnvelopeError.notAnEnvelope("no encryptedKey and encryptedData") }
            reply.body = try envelope.open(with: try clientKey)
        case .asymmetric:
            reply.body = try ICICIAsymmetric.open(reply.body, with: try clientKey, hashing: hashing)
        }
        return reply
    }

    /// A plain JSON answer carrying `success` (the gateway's own envelope), not an encrypted one.
    static func isPlainGatewayAnswer(_ body: [UInt8]) -> Bool {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return false }
        return object["success"] != nil && object["encryptedData"] == nil
    }
}

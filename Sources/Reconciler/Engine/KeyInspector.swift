import Foundation
import X509
import _CryptoExtras

/// Reads the key and certificate files a bank's settings hold, for `provision check`: when a certificate expires,
/// whether a private key is the key of the certificate given for it, and whether a key is as large as the bank asks.
public enum KeyInspector {
    /// The expiry of the certificate in `pem` (the first, for a chain): failed once expired, a warning within the
    /// context's window; nil when `pem` holds no certificate (a bare key has no expiry) or cannot be read.
    public static func expiry(of pem: String, setting: String, context: CheckContext, renew: String) -> CheckFinding? {
        guard pem.contains("BEGIN CERTIFICATE"), let certificate = try? Certificate(pemEncoded: pem) else { return nil }
        let subject = "\(setting) expiry"
        let end = certificate.notValidAfter
        let day = Self.day(end)
        let days = Int((end.timeIntervalSince(context.now) / 86_400).rounded())
        if end <= context.now {
            return .failed(subject, "the certificate (\(certificate.subject)) expired on \(day)", fix: renew)
        }
        if end.timeIntervalSince(context.now) <= context.warningWindow {
            return .warning(subject, "the certificate (\(certificate.subject)) expires on \(day), in \(days) day\(days == 1 ? "" : "s")", fix: renew)
        }
        return .ok(subject, "the certificate (\(certificate.subject)) is valid until \(day) (\(days) days)")
    }

    /// Whether `key`, the public half of the private key in `privateSetting`, is the key of the certificate or public
    /// key in `pem` (`setting`).
    public static func pair(_ key: _RSA.Signing.PublicKey, privateSetting: String, matches pem: String, setting: String) -> CheckFinding {
        let subject = "\(privateSetting) matches \(setting)"
        guard let other = publicKey(pem: pem) else {
            return .failed(subject, "\(setting) holds no RSA certificate or public key", fix: "Give \(setting) as PEM (BEGIN CERTIFICATE or BEGIN PUBLIC KEY).")
        }
        guard Certificate.PublicKey(key) == other else {
            return .failed(
                subject, "\(privateSetting) is not the key of \(setting)",
                fix: "Give \(privateSetting) and \(setting) of the same key pair: the bank checks one with the other.")
        }
        return .ok(subject, "\(privateSetting) is the key of \(setting)")
    }

    /// A key of `bits` against the `minimum` the bank asks for (`why` says where it asks).
    public static func size(_ bits: Int, setting: String, minimum: Int, why: String) -> CheckFinding {
        let subject = "\(setting) size"
        guard bits >= minimum else {
            return .failed(subject, "\(bits)-bit key; \(why)", fix: "Make a \(minimum)-bit key pair, give the bank its certificate, and set \(setting) to the new key.")
        }
        return .ok(subject, "\(bits)-bit key (\(why))")
    }

    /// The RSA public key of a PEM certificate or public key, as a certificate carries it.
    static func publicKey(pem: String) -> Certificate.PublicKey? {
        if pem.contains("BEGIN CERTIFICATE") { return (try? Certificate(pemEncoded: pem))?.publicKey }
        return (try? _RSA.Signing.PublicKey(pemRepresentation: pem)).map(Certificate.PublicKey.init)
    }

    /// `yyyy-MM-dd`, UTC.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}

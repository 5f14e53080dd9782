import Foundation
import PlanModel
import Reconciler
import X509
import _CryptoExtras

/// ICICI Bank API Banking: portal applications verified by probe, the account plan confirmed by a person, CIB
/// registrations requested by API and approved by the corporate user; payloads in ICICI's encrypted envelope.
enum ICICIAPIBanking {
    static let bank = Bank(
        schema: .iciciAPIBanking, sandboxMount: "/icici", settings: ICICISettings.self,
        client: { settings, connection in ICICIClient(settings, connection: connection) },
        kinds: [
            KindRegistration(.iciciApplications, ICICIApplications.init),
            KindRegistration(.iciciCibRegistrations, ICICICIBRegistrations.init),
        ],
        notes: { settings in
            settings.codec == nil
                ? ["bank_certificate or client_private_key is not set: encrypted calls (CIB registration) cannot be made; probes still run."]
                : []
        })
}

/// The provider's settings, keys parsed: a PEM that holds no usable key is a problem `validate` reports on its line.
struct ICICISettings: BankSettings {
    let apiKey: Sensitive
    let encryption: ICICIEncryption
    let hashing: ICICIOAEPHashing
    /// Sent as `BANKID` with a CIB registration when set (one public sample sends `ICI`).
    let bankID: String?
    /// `bank_certificate` as given, for its expiry.
    let bankCertificatePEM: String?
    /// `client_certificate`: the certificate of `client_private_key` ICICI holds, for `provision check`.
    let clientCertificate: String?
    /// Nil unless both `bank_certificate` and `client_private_key` hold usable keys.
    let codec: ICICIPayloadCodec?

    init(_ reader: inout SettingsReader) {
        apiKey = reader.secret("api_key")
        let encryption = ICICIEncryption(rawValue: reader.optionalText("encryption") ?? "hybrid") ?? .hybrid
        let hashing = ICICIOAEPHashing(rawValue: reader.optionalText("oaep_hashing") ?? "NONE") ?? .none
        let placement = ICICIIVPlacement(rawValue: reader.optionalText("iv_placement") ?? "field") ?? .field
        let length = reader.optionalText("session_key_length") == "32" ? 32 : 16
        self.encryption = encryption
        self.hashing = hashing
        bankID = reader.optionalText("bank_id")
        bankCertificatePEM = reader.optionalText("bank_certificate")
        clientCertificate = reader.optionalText("client_certificate")
        if let pem = clientCertificate, (try? Self.publicKey(pem: pem)) == nil {
            reader.problem("client_certificate", "is not a PEM certificate or RSA public key; give the certificate of client_private_key you sent ICICI, in PEM (BEGIN CERTIFICATE)")
        }
        let bankKey = Self.bankKey(&reader)
        let clientKey = Self.clientKey(&reader)
        codec = bankKey.flatMap { bank in
            clientKey.map {
                ICICIPayloadCodec(encryption: encryption, hashing: hashing, bankKey: bank, clientKey: $0, ivPlacement: placement, sessionKeyLength: length)
            }
        }
    }

    static func bankKey(_ reader: inout SettingsReader) -> _RSA.Encryption.PublicKey? {
        guard let pem = reader.optionalText("bank_certificate") else { return nil }
        do {
            return try publicKey(pem: pem)
        } catch {
            reader.problem("bank_certificate", "is not a PEM certificate or RSA public key (\(error)); give the .cer ICICI sent, in PEM (BEGIN CERTIFICATE), or its public key (BEGIN PUBLIC KEY)")
            return nil
        }
    }

    static func clientKey(_ reader: inout SettingsReader) -> _RSA.Encryption.PrivateKey? {
        guard let pem = reader.optionalText("client_private_key") else { return nil }
        do {
            return try _RSA.Encryption.PrivateKey(pemRepresentation: pem)
        } catch {
            reader.problem("client_private_key", "is not a PEM RSA private key of 2048 bits or more (\(error)); give the PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 (BEGIN RSA PRIVATE KEY) file whose public key ICICI holds")
            return nil
        }
    }

    /// The RSA key of a PEM certificate, or a PEM public key.
    static func publicKey(pem: String) throws -> _RSA.Encryption.PublicKey {
        guard pem.contains("BEGIN CERTIFICATE") else { return try _RSA.Encryption.PublicKey(pemRepresentation: pem) }
        let certificate = try Certificate(pemEncoded: pem)
        guard let key = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSLocalizedDescriptionKey: "the certificate's key is not an RSA key"])
        }
        return try _RSA.Encryption.PublicKey(derRepresentation: key.derRepresentation)
    }
}

import PlanModel
import Reconciler
import _CryptoExtras

/// VietinBank iConnect: portal applications verified by probe, OAuth consents, signed statement push registrations.
enum VietinBankIConnect {
    static let bank = Bank(
        schema: .vietinBankIConnect, sandboxMount: "/vietinbank", settings: VietinBankSettings.self,
        client: { settings, connection in VietinBankClient(settings, connection: connection) },
        kinds: [
            KindRegistration(.vietinBankApplications, VietinBankApplications.init),
            KindRegistration(.vietinBankConsents, VietinBankConsents.init),
            KindRegistration(.vietinBankStatementPush, VietinBankStatementPush.init),
        ],
        notes: { settings in
            settings.bankKey == nil
                ? ["bank_certificate is not set: VietinBank's answer signatures are accepted unverified. Set it to the bank's PEM certificate or public key."]
                : []
        })
}

/// The provider's settings, keys parsed: a PEM that holds no usable key is a problem `validate` reports on its line.
struct VietinBankSettings: BankSettings {
    /// Signed request fields per operation, as public ERP integrations sign them (statement inquiry: two independent
    /// ones; statement register: one, which sends `outputFolder` unsigned). `sign_fields` overrides any of them.
    static let requestFields: [String: [String]] = [
        "/erp/v1/statement/inquiry": ["requestId", "providerId", "merchantId", "account"],
        "/erp/v1/statement/register": [
            "requestId", "providerId", "merchantId", "agencyType", "account", "notifyType", "cronExpress", "transTime", "channel", "version",
            "clientIP", "language",
        ],
    ]
    /// The reference's only documented answer list.
    static let responseFields = ["requestId", "providerId", "merchantId", "status.code"]

    let clientID: String
    let clientSecret: Sensitive
    let providerID: String?
    let merchantID: String?
    let privateKey: _RSA.Signing.PrivateKey?
    /// The PEM certificate (or public key) of `private_key` VietinBank holds, for `provision check`.
    let certificate: String?
    let bankKey: _RSA.Signing.PublicKey?
    /// `bank_certificate` as given, for its expiry.
    let bankCertificatePEM: String?
    let hash: VietinBankHash
    let authorizeURL: String?
    let tokenURL: String?
    let signFields: [String: [String]]
    let responseSignFields: [String: [String]]
    let erpFields: VietinBankERPFields

    init(_ reader: inout SettingsReader) {
        clientID = reader.text("client_id")
        clientSecret = reader.secret("client_secret")
        providerID = reader.optionalText("provider_id")
        merchantID = reader.optionalText("merchant_id")
        hash = VietinBankHash(rawValue: reader.optionalText("signature_hash") ?? "SHA256") ?? .sha256
        authorizeURL = reader.optionalText("authorize_url")
        tokenURL = reader.optionalText("token_url")
        signFields = Self.requestFields.merging(Self.fieldLists(reader.values["sign_fields"])) { _, override in override }
        responseSignFields = Self.fieldLists(reader.values["response_sign_fields"])
        erpFields = VietinBankERPFields(reader.values["erp_fields"])
        privateKey = Self.privateKey(&reader)
        bankKey = Self.bankKey(&reader)
        bankCertificatePEM = reader.optionalText("bank_certificate")
        certificate = reader.optionalText("certificate")
        if let certificate, (try? VietinBankSignature.publicKey(pem: certificate)) == nil {
            reader.problem("certificate", "is not a PEM certificate or RSA public key; give the certificate of private_key you sent VietinBank, in PEM (BEGIN CERTIFICATE)")
        }
    }

    /// The answer fields signed for `operation`.
    func responseFields(_ operation: String) -> [String] {
        responseSignFields[operation] ?? Self.responseFields
    }

    static func fieldLists(_ value: Value?) -> [String: [String]] {
        guard case .object(let operations)? = value else { return [:] }
        return operations.compactMapValues { list in
            guard case .list(let fields) = list else { return nil }
            return fields.map(\.revealedText)
        }
    }

    static func privateKey(_ reader: inout SettingsReader) -> _RSA.Signing.PrivateKey? {
        guard let pem = reader.optionalText("private_key") else { return nil }
        do {
            return try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            reader.problem("private_key", "is not a PEM RSA private key of 2048 bits or more (\(error)); give the PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 (BEGIN RSA PRIVATE KEY) file, e.g. ${file:keys/vietinbank.pem}")
            return nil
        }
    }

    static func bankKey(_ reader: inout SettingsReader) -> _RSA.Signing.PublicKey? {
        guard let pem = reader.optionalText("bank_certificate") else { return nil }
        do {
            return try VietinBankSignature.publicKey(pem: pem)
        } catch {
            reader.problem("bank_certificate", "is not a PEM certificate or RSA public key (\(error)); give the .cer VietinBank sent, in PEM (BEGIN CERTIFICATE), or its public key (BEGIN PUBLIC KEY)")
            return nil
        }
    }
}

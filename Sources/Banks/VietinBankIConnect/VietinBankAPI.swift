import Foundation
import PlanModel
import Reconciler

/// Reads VietinBank's envelopes: the gateway's `{"httpCode","httpMessage","moreInformation"}`, an OAuth
/// `{"error","error_description"}`, and a business `status.code` other than the operation's success code in HTTP 200.
struct VietinBankErrorReader: ErrorReader {
    /// `"1"` for the ERP APIs.
    let successCode: String

    func fault(in reply: HTTPReply) -> BankFault? {
        let json = (try? JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any]
        let success = (200..<300).contains(reply.status)
        if let status = json?["status"] as? [String: Any], let code = status["code"] as? String {
            if success && code == successCode { return nil }
            return BankFault(code: code, message: status["message"] as? String, requestID: json?["requestId"] as? String)
        }
        if success { return nil }
        if let gateway = json?["httpCode"] {
            return BankFault(code: "\(gateway)", message: (json?["moreInformation"] ?? json?["httpMessage"]) as? String)
        }
        if let error = json?["error"] as? String {
            return BankFault(code: error, message: json?["error_description"] as? String)
        }
        return BankFault()
    }

    func hint(status: Int) -> String? {
        switch status {
        case 401, 403:
            return "Check client_id and client_secret (the application's X-IBM-Client-Id and X-IBM-Client-Secret), and that the application is subscribed to this API in the VietinBank portal."
        case 429: return "The subscription's plan limit was reached: run again later, or declare the plan's rate_limit on the subscription."
        default: return nil
        }
    }
}

/// The APIs this tool knows by portal name: the operations each covers and a read-only one to probe.
/// The names and the transfer API's probe are this tool's reading (inferred); a subscription's `probe` overrides.
enum VietinBankCatalogue {
    static let operations: [String: [String]] = [
        "erp-statement": ["/erp/v1/statement/inquiry", "/erp/v1/statement/register"],
        "erp-transfer": ["/erp/v1/account/benAcctInq", "/erp/v1/payment/transfer"],
    ]

    static func defaultProbe(_ api: String) -> String? {
        operations[api]?.first
    }

    static func api(of operation: String) -> String? {
        operations.first { $0.value.contains(operation) }?.key
    }
}

/// An ERP answer, read as JSON, and its request id.
struct VietinBankAnswer {
    var object: [String: Any]
    var requestID: String?
}

/// VietinBank's calls: gateway headers on every call, signed bodies on signed operations, answers checked for
/// business errors and (with `bank_certificate`) their signature; every failure a `ProviderError`.
///
/// Invariant: keeps no data of one kind for another; what a call needs of the manifest's applications (their plans'
/// rate limits) comes with the call.
struct VietinBankClient: Sendable {
    static let bank = "VietinBank iConnect"

    let settings: VietinBankSettings
    let connection: BankConnection
    /// Signed operations; nil without `private_key`.
    let signed: BankAPI?
    /// Probes and OAuth calls, never signed.
    let plain: BankAPI
    let limits = VietinBankPlanLimits()
    let flows = VietinBankConsentFlows()

    init(_ settings: VietinBankSettings, connection: BankConnection) {
        self.settings = settings
        self.connection = connection
        let errors = VietinBankErrorReader(successCode: "1")
        plain = BankAPI(bank: Self.bank, baseURL: connection.baseURL, transport: connection.pipeline.transport(), errors: errors)
        signed = settings.privateKey.map { key in
            let signer = VietinBankSigner(basePath: connection.baseURL, fieldLists: settings.signFields, key: key, hash: settings.hash)
            return BankAPI(bank: Self.bank, baseURL: connection.baseURL, transport: connection.pipeline.transport(signer: signer), errors: errors)
        }
    }

    var authorizeURL: String { settings.authorizeURL ?? connection.baseURL + "/oauth2/authorize" }
    var tokenURL: String { settings.tokenURL ?? connection.baseURL + "/oauth2/token" }

    /// The gateway headers every call carries.
    func headers(contentType: String = "application/json") -> [(name: String, value: String)] {
        [
            ("X-IBM-Client-Id", settings.clientID), ("X-IBM-Client-Secret", settings.clientSecret.revealed),
            ("Content-Type", contentType), ("Accept", "application/json"),
        ]
    }

    /// A signed statement call: the partner's ids, the common ERP fields and `own`, in that order.
    func statementCall(_ operation: String, _ own: [(String, String)], for address: ResourceAddress, known: RemoteIDs) async throws -> VietinBankAnswer {
        guard let provider = settings.providerID, let merchant = settings.merchantID else {
            throw VietinBankSetupError.noPartnerIDs(address: address)
        }
        let ids = [("requestId", Self.requestID()), ("providerId", provider), ("merchantId", merchant)]
        return try await call(operation, fields: settings.erpFields.statementBody(ids: ids, own, at: connection.now()), for: address, known: known)
    }

    /// A signed ERP call: `fields` in order as JSON strings plus `signature`; the answer's signature is checked.
    func call(_ operation: String, fields: [(String, String)], for address: ResourceAddress, known: RemoteIDs) async throws -> VietinBankAnswer {
        guard let signed else { throw VietinBankSetupError.noPrivateKey(address: address, operation: operation) }
        await limits.acquire(api: VietinBankCatalogue.api(of: operation), declared: VietinBankSubscriptions(known))
        let reply = try await signed.send("POST", operation, headers: headers(), body: VietinBankJSON.object(fields))
        guard let object = (try? JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] else {
            throw signed.malformed("POST", operation, reason: "the answer is not a JSON object", status: reply.status)
        }
        try verify(object, operation: operation, api: signed, status: reply.status)
        return VietinBankAnswer(object: object, requestID: object["requestId"] as? String)
    }

    /// Checks the answer's `signature` with `bank_certificate`; without one the answer is accepted (the plan says so).
    func verify(_ object: [String: Any], operation: String, api: BankAPI, status: Int) throws {
        guard let key = settings.bankKey else { return }
        let fields = settings.responseFields(operation)
        let message = try? VietinBankSignature.message(fields, in: object)
        guard let signature = object["signature"] as? String, let message,
              VietinBankSignature.isValid(signature, for: message, key: key, hash: settings.hash)
        else {
            throw api.malformed(
                "POST", operation,
                reason: "its signature does not verify with bank_certificate (over \(fields.joined(separator: ", "))); "
                    + "check bank_certificate and response_sign_fields, and treat the answer as not from VietinBank",
                status: status, requestID: object["requestId"] as? String, mayHavePartlyApplied: true)
        }
    }

    /// A unique request id of at most 30 characters.
    static func requestID() -> String {
        "PRV" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24).uppercased()
    }
}

/// A manifest that cannot be applied as it stands, found when a step runs.
enum VietinBankSetupError: Error, CustomStringConvertible {
    case noPrivateKey(address: ResourceAddress, operation: String)
    case noPartnerIDs(address: ResourceAddress)
    case noCallback(address: ResourceAddress, application: String)
    case noSecretsFolder(address: ResourceAddress)

    var description: String {
        switch self {
        case .noPrivateKey(let address, let operation):
            return "\(address): VietinBank checks the body signature of \(operation), and private_key is not set. Set private_key to the PEM key whose certificate VietinBank holds."
        case .noPartnerIDs(let address):
            return "\(address): provider_id and merchant_id are not set. Set them to the codes VietinBank assigned at onboarding."
        case .noCallback(let address, let application):
            return "\(address): application \(application) has no callback_url, which the consent redirects to. Set callback_url on it (and register it in the portal)."
        case .noSecretsFolder(let address):
            return "\(address): there is no secrets folder to keep the consent's tokens in. Run provision from the manifest's folder (tokens go to .provision/secrets/)."
        }
    }
}

/// Compact JSON bodies with the fields in the order given.
enum VietinBankJSON {
    static func object(_ fields: [(String, String)]) -> [UInt8] {
        Array(("{" + fields.map { "\(quoted($0.0)):\(quoted($0.1))" }.joined(separator: ",") + "}").utf8)
    }

    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// `application/x-www-form-urlencoded` of the pairs, in order.
    static func form(_ pairs: [(String, String)]) -> [UInt8] {
        Array(pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&").utf8)
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}

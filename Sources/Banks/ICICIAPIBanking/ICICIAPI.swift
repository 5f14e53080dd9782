import Foundation
import PlanModel
import Reconciler

/// Reads ICICI's answers: the gateway's plain JSON on any answer that is not 2xx (and on one carrying `success: false`),
/// its code from `errorCode` or `code` and its words from `description` or `message`, whichever is present (public
/// clients read `{errorCode, description}`; the reference reads `{success: false, code, message}`); and a decrypted
/// CIB answer whose `Response`/`RESPONSE` is `Failure`.
struct ICICIErrorReader: ErrorReader {
    func fault(in reply: HTTPReply) -> BankFault? {
        let json = (try? JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any]
        let success = (200..<300).contains(reply.status)
        if let json, !success || Self.isFalse(json["success"]) {
            let code = (json["errorCode"] ?? json["code"]).map { "\($0)" }
            let message = (json["description"] ?? json["message"] ?? json["errorDescription"]) as? String
            return BankFault(code: code, message: message)
        }
        if success, let json, let response = (json["Response"] ?? json["RESPONSE"]) as? String, response.lowercased() == "failure" {
            let code = (json["ResponseCode"] ?? json["ERRORCODE"]).map { "\($0)" }
            return BankFault(code: code, message: (json["Message"] ?? json["MESSAGE"]) as? String)
        }
        return success ? nil : BankFault()
    }

    static func isFalse(_ value: Any?) -> Bool {
        switch value {
        case let flag as Bool: !flag
        case let text as String: text.lowercased() == "false"
        default: false
        }
    }

    func hint(status: Int) -> String? {
        switch status {
        case 401: "Check api_key (the application's apikey header) and that the application is enabled in the ICICI developer portal."
        case 403: "Check that the application has this API selected under API Management, on the API plan of this environment (Sandbox or Production)."
        case 429: "The API plan's quota was reached: run again later, or request a higher plan."
        default: nil
        }
    }

    /// What to do about a gateway code, in this tool's settings; nil for codes that say nothing about them.
    static func fix(code: String?) -> String? {
        switch code {
        case "8016": "ICICI could not decrypt the request: check bank_certificate is ICICI's certificate for this environment, and oaep_hashing."
        case "8017": "ICICI refused the request's schema: check the payload fields and encryption (hybrid or asymmetric) for this API."
        case "8019": "ICICI could not encrypt its answer: check ICICI holds the certificate of client_private_key for this environment."
        case "8015": "ICICI could not validate a digital signature: check the keys exchanged with ICICI for this environment."
        default: nil
        }
    }
}

/// The APIs this tool knows by their portal names, and the path each is probed at.
/// The names and paths are this tool's reading of the reference (inferred); an application's `probes:` overrides them.
enum ICICICatalogue {
    static let cib = "/api/Corporate/CIB/v1/"
    static let paths: [String: String] = [
        "CIB Registration": cib + "Registration",
        "CIB Registration Status": cib + "RegistrationStatus",
        "CIB Deregistration": cib + "Deregistration",
        "CIB Balance Inquiry": cib + "BalanceInquiry",
        "CIB Account Statement": cib + "AccountStatement",
        "CIB Transaction": cib + "Transaction",
        "CIB Transaction Inquiry": cib + "TransactionInquiry",
        "Composite Payment": "/api/v1/composite-payment",
        "Composite Status": "/api/v1/composite-status",
        "Composite Validation": "/api/v1/composite-validation",
        "CIB Bulk Payment": "/api/v1/cibbulkpayment/bulkPayment",
    ]
}

/// ICICI's calls: `apikey` on every call; CIB payloads through the encrypting codec, probes plain; every failure a
/// `ProviderError` whose hint says which setting to check.
struct ICICIClient: Sendable {
    static let bank = "ICICI Bank API Banking"

    let settings: ICICISettings
    /// Probes: an empty, unencrypted body the gateway cannot pass to a backend.
    let plain: BankAPI
    /// CIB calls; nil without both keys.
    let encrypted: BankAPI?

    init(_ settings: ICICISettings, connection: BankConnection) {
        self.settings = settings
        let errors = ICICIErrorReader()
        plain = BankAPI(bank: Self.bank, baseURL: connection.baseURL, transport: connection.pipeline.transport(), errors: errors)
        encrypted = settings.codec.map { codec in
            BankAPI(bank: Self.bank, baseURL: connection.baseURL, transport: connection.pipeline.transport(codec: codec), errors: errors)
        }
    }

    func headers() -> [(name: String, value: String)] {
        [("apikey", settings.apiKey.revealed), ("Content-Type", "application/json"), ("Accept", "application/json")]
    }

    /// `POST path` of `payload`, encrypted; the decrypted answer as a JSON object.
    func call(_ path: String, _ payload: [String: String], for address: ResourceAddress) async throws -> [String: Any] {
        guard let encrypted else { throw ICICISetupError.noKeys(address: address, operation: path) }
        let reply: HTTPReply
        do {
            reply = try await encrypted.send("POST", path, headers: headers(), body: ICICIJSON.encode(payload))
        } catch var error as ProviderError where error.failure == .rejected {
            error.hint = ICICIErrorReader.fix(code: error.code) ?? error.hint
            throw error
        } catch ICICIEnvelopeError.tooLargeForRSA(let bytes, let maximum) {
            throw ICICISetupError.tooLarge(address: address, operation: path, bytes: bytes, maximum: maximum)
        } catch let error as ICICIEnvelopeError {
            throw encrypted.malformed("POST", path, reason: "\(error)", mayHavePartlyApplied: true)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] else {
            throw encrypted.malformed("POST", path, reason: "the decrypted answer is not a JSON object", status: reply.status)
        }
        return object
    }
}

/// A manifest that cannot be applied as it stands, found when a step runs.
enum ICICISetupError: Error, CustomStringConvertible {
    case noKeys(address: ResourceAddress, operation: String)
    case tooLarge(address: ResourceAddress, operation: String, bytes: Int, maximum: Int)

    var description: String {
        switch self {
        case .noKeys(let address, let operation):
            return "\(address): ICICI encrypts \(operation), and bank_certificate or client_private_key is not set. Set bank_certificate to ICICI's PEM certificate for this environment and client_private_key to the PEM key whose certificate ICICI holds."
        case .tooLarge(let address, let operation, let bytes, let maximum):
            return "\(address): the payload of \(operation) has \(bytes) bytes, more than asymmetric encryption with this key takes (\(maximum)). Set encryption: hybrid."
        }
    }
}

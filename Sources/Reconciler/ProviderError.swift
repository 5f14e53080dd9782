/// A provider call that failed, with everything needed to find it at the bank and fix it.
///
/// Invariant: no case holds a secret, a signature or a request body.
public enum ProviderError: Error, Sendable, CustomStringConvertible {
    /// The bank answered with an error.
    case rejected(bank: String, request: String, status: Int, code: String?, message: String?, requestID: String?, mayHavePartlyApplied: Bool)
    /// No answer arrived.
    case unreachable(bank: String, request: String, reason: String, mayHavePartlyApplied: Bool)
    /// The bank answered with something that is not what its reference documents.
    case malformedResponse(bank: String, request: String, status: Int, reason: String, requestID: String?)
    /// The manifest asks for something this provider cannot do.
    case unsupported(bank: String, address: String, what: String)

    public var mayHavePartlyApplied: Bool {
        switch self {
        case .rejected(_, _, _, _, _, _, let partly), .unreachable(_, _, _, let partly): return partly
        case .malformedResponse, .unsupported: return false
        }
    }

    public var description: String {
        switch self {
        case .rejected(let bank, let request, let status, let code, let message, let requestID, let partly):
            var text = "\(bank) refused \(request): HTTP \(status)"
            if let code { text += ", code \(code)" }
            if let message, !message.isEmpty { text += ": \(message)" }
            if let requestID { text += " (request id \(requestID))" }
            text += ". " + Self.hint(status: status)
            if partly { text += " The change may have partly applied; the next plan looks it up before trying again." }
            return text
        case .unreachable(let bank, let request, let reason, let partly):
            var text = "No answer from \(bank) to \(request): \(reason). Check the endpoint and the network, then run again."
            if partly { text += " The request may have reached the bank; the next plan looks the resource up before creating it again." }
            return text
        case .malformedResponse(let bank, let request, let status, let reason, let requestID):
            let id = requestID.map { " (request id \($0))" } ?? ""
            return "\(bank) answered \(request) with HTTP \(status) that cannot be read: \(reason)\(id). Check that the endpoint is the bank's API base URL."
        case .unsupported(let bank, let address, let what):
            return "\(address): \(bank) has no API to \(what). Change it back in the manifest, or make the change by hand."
        }
    }

    static func hint(status: Int) -> String {
        switch status {
        case 401: return "Check client_id and secret_key, and that this machine's clock is right."
        case 403: return "Check that this machine's IP address is allowed at the bank."
        case 404: return "Check that the resource and the endpoint exist."
        case 400, 422: return "Fix the values in the manifest."
        case 429: return "The bank is rate limiting; run again later or lower the rate."
        case 500...599: return "The bank had a server error; run again later."
        default: return "See the bank's message."
        }
    }
}

/// A bank call that failed, with everything needed to find it at the bank and fix it.
///
/// Invariant: made only by `BankAPI` (its initialiser is internal to the engine); holds no secret, no signature and no
/// request body; `request` is always the call's `METHOD URL`; `message` is the bank's own text.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as far as the client can tell.
    public enum Failure: Sendable, Equatable {
        /// The bank answered with an error (an HTTP error status, or a business error code in a 2xx answer).
        case rejected
        /// No answer arrived.
        case unreachable(reason: String)
        /// The bank answered with something that is not what its reference documents.
        case malformed(reason: String)
        /// The bank answered with a redirect, which is never followed.
        case redirected(to: String)
    }

    public var failure: Failure
    /// The bank's name, e.g. as its schema displays it.
    public var bank: String
    /// `METHOD URL` of the call (the URL without its query).
    public var request: String
    /// The HTTP status, when an answer arrived.
    public var status: Int?
    /// The bank's own error code.
    public var code: String?
    public var message: String?
    public var requestID: String?
    /// The call changes the bank and may have taken effect before it failed.
    public var mayHavePartlyApplied: Bool
    /// What to do about it, in the bank's terms (which setting to check); nil for the generic advice.
    public var hint: String?

    init(
        _ failure: Failure, bank: String, request: String, status: Int? = nil, code: String? = nil, message: String? = nil,
        requestID: String? = nil, mayHavePartlyApplied: Bool = false, hint: String? = nil
    ) {
        self.failure = failure
        self.bank = bank
        self.request = request
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.mayHavePartlyApplied = mayHavePartlyApplied
        self.hint = hint
    }

    public var description: String { description(quoting: { $0 }) }

    /// The error for people, each text the bank or the network supplied (message, code, request id, a reason, where a
    /// redirect pointed, the call's URL) passed through `quote`, the escape of the medium it is shown in.
    public func description(quoting quote: (String) -> String) -> String {
        let id = requestID.map { " (request id \(quote($0)))" } ?? ""
        let request = quote(self.request)
        switch failure {
        case .rejected:
            var text = "\(bank) refused \(request): HTTP \(status ?? 0)"
            if let code { text += ", code \(quote(code))" }
            if let message, !message.isEmpty { text += ": \(quote(message))" }
            text += id + ". " + (hint ?? Self.hint(status: status ?? 0))
            if mayHavePartlyApplied { text += " The change may have partly applied. " + Self.rerun }
            return text
        case .unreachable(let reason):
            var text = "No answer from \(bank) to \(request): \(quote(reason))."
            if !reason.contains(": check") { text += " Check the endpoint and the network, then run again." }
            if mayHavePartlyApplied { text += " The request may have reached the bank. " + Self.rerun }
            return text
        case .malformed(let reason):
            return "\(bank) answered \(request) with HTTP \(status ?? 0) that cannot be read: \(quote(reason))\(id). Check that the endpoint is the bank's API base URL."
        case .redirected(let location):
            return "\(bank) answered \(request) with a redirect (HTTP \(status ?? 0)) to \(quote(location))\(id), which was not followed: "
                + "a bank API does not redirect, and following it would send the credentials there. Check the provider's endpoint."
        }
    }

    /// What running again can and cannot promise after a call that may have taken effect.
    static let rerun = "Running again is safe: the next plan looks the resource up by its natural key before creating it, "
        + "and reports any duplicate the bank made as a conflict for you to settle; it cannot remove a duplicate by itself."

    /// The advice for a status when the bank gives none of its own.
    public static func hint(status: Int) -> String {
        switch status {
        case 401: return "Check the provider's credentials, and that this machine's clock is right."
        case 403: return "Check that this machine's IP address is allowed at the bank."
        case 404: return "Check that the resource and the endpoint exist."
        case 400, 422: return "Fix the values in the manifest."
        case 429: return "The bank is rate limiting; run again later or lower the rate."
        case 500...599: return "The bank had a server error; run again later."
        default: return "See the bank's message."
        }
    }
}

/// A step the engine refuses because the bank has no API for it (not a bank's answer): which resource, and what.
///
/// A step that fails this way fails alone; the others of the apply go on.
public struct CapabilityRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var bank: String
    public var address: String
    /// What the bank's API cannot do, e.g. `delete bank_accounts`.
    public var what: String

    public init(bank: String, address: String, what: String) {
        self.bank = bank
        self.address = address
        self.what = what
    }

    public var description: String {
        "\(address): \(bank) has no API to \(what). Change it back in the manifest, or make the change by hand."
    }
}

import Foundation

/// What a bank's error answer says, read from the bank's own envelope.
public struct BankFault: Sendable, Equatable {
    public var code: String?
    public var message: String?
    public var requestID: String?

    public init(code: String? = nil, message: String? = nil, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.requestID = requestID
    }
}

/// Reads a bank's error envelopes; one per bank.
public protocol ErrorReader: Sendable {
    /// The fault an answer carries: what an error status says, or a business error in a 2xx answer; nil for success.
    func fault(in reply: HTTPReply) -> BankFault?
    /// What to check for this status, in the bank's terms; nil for the generic advice.
    func hint(status: Int) -> String?
    /// The header that carries the bank's request id, when the envelope does not.
    var requestIDHeader: String { get }
}

extension ErrorReader {
    public func hint(status: Int) -> String? { nil }
    public var requestIDHeader: String { "x-request-id" }
}

/// A bank's success envelope, decoded by the caller, that says whether it carries a business error.
public protocol FaultReporting: Decodable {
    /// The business error this 2xx envelope carries; nil for success. The same rule as the bank's `ErrorReader`.
    var fault: BankFault? { get }
}

/// One bank's API behind its request pipeline: every failure becomes a `ProviderError`, mapped here and nowhere else.
public struct BankAPI: Sendable {
    public let bank: String
    /// Without a trailing slash.
    public let baseURL: String
    public let transport: any HTTPTransport
    public let errors: any ErrorReader

    public init(bank: String, baseURL: String, transport: any HTTPTransport, errors: any ErrorReader) {
        self.bank = bank
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = transport
        self.errors = errors
    }

    /// Sends `METHOD base+path`; returns a success answer, throws `ProviderError` for anything else.
    /// `path` includes any query, already encoded.
    public func send(_ method: String, _ path: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) async throws -> HTTPReply {
        let call = HTTPCall(method: method, url: baseURL + path, headers: headers, body: body)
        let reply = try await exchange(call)
        let success = (200..<300).contains(reply.status)
        guard let fault = errors.fault(in: reply) ?? (success ? nil : BankFault()) else { return reply }
        throw rejection(call, reply, fault)
    }

    /// Sends and decodes a success answer once, as an envelope that reports its own business fault; any other
    /// answer goes to the error reader. For a list of thousands the body is parsed once instead of twice.
    public func send<Envelope: FaultReporting>(
        _ method: String, _ path: String, body: [UInt8]? = nil, enveloped type: Envelope.Type
    ) async throws -> (envelope: Envelope, reply: HTTPReply) {
        let call = HTTPCall(method: method, url: baseURL + path, headers: [], body: body)
        let reply = try await exchange(call)
        return (try envelope(Envelope.self, of: call, reply), reply)
    }

    /// The envelope of `reply`, the answer to `call`: a success that reports no business fault, or a `ProviderError`.
    func envelope<Envelope: FaultReporting>(_ type: Envelope.Type, of call: HTTPCall, _ reply: HTTPReply) throws -> Envelope {
        guard (200..<300).contains(reply.status) else { throw rejection(call, reply, errors.fault(in: reply) ?? BankFault()) }
        let envelope: Envelope
        do {
            envelope = try decode(Envelope.self, from: reply, request: call.summary)
        } catch {
            // An answer that is not the expected envelope may still be a refusal the reader recognises.
            if let fault = errors.fault(in: reply) { throw rejection(call, reply, fault) }
            throw error
        }
        if let fault = envelope.fault { throw rejection(call, reply, fault) }
        return envelope
    }

    /// The call through the pipeline; a transport failure or a redirect is a `ProviderError`.
    func exchange(_ call: HTTPCall) async throws -> HTTPReply {
        let reply: HTTPReply
        do {
            reply = try await transport.send(call)
        } catch let failure as TransportFailure {
            throw ProviderError(
                .unreachable(reason: failure.reason), bank: bank, request: call.summary,
                mayHavePartlyApplied: call.isMutating && failure.requestMayHaveBeenSent)
        }
        if (300..<400).contains(reply.status) {
            // A bank API has no reason to redirect; following one would send the credentials elsewhere.
            throw ProviderError(
                .redirected(to: reply.header("Location") ?? "(no Location header)"), bank: bank, request: call.summary,
                status: reply.status, requestID: reply.header(errors.requestIDHeader))
        }
        return reply
    }

    /// The bank's refusal of `call`, with what its envelope says.
    func rejection(_ call: HTTPCall, _ reply: HTTPReply, _ fault: BankFault) -> ProviderError {
        let success = (200..<300).contains(reply.status)
        return ProviderError(
            .rejected, bank: bank, request: call.summary, status: reply.status, code: fault.code,
            message: fault.message ?? (success ? nil : Self.snippet(reply.body)),
            requestID: fault.requestID ?? reply.header(errors.requestIDHeader),
            mayHavePartlyApplied: call.isMutating && reply.status >= 500, hint: errors.hint(status: reply.status))
    }

    /// Sends and decodes the answer as JSON.
    public func send<Payload: Decodable>(
        _ method: String, _ path: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, as type: Payload.Type
    ) async throws -> Payload {
        let reply = try await send(method, path, headers: headers, body: body)
        return try decode(type, from: reply, request: "\(method) \(baseURL)\(path)")
    }

    /// Every item of the list at `path`, page by page through `ListPager`; pages that do not add up are a
    /// `malformed` error naming the list.
    public func pages<Item: Sendable>(of path: String, _ fetch: (Int) async throws -> (items: [Item], info: PageInfo?)) async throws -> [Item] {
        do {
            return try await ListPager.all(fetch)
        } catch let error as ListPager.Inconsistent {
            throw ProviderError(.malformed(reason: error.reason), bank: bank, request: "GET \(baseURL)\(path)")
        }
    }

    /// An answer the bank's reference does not document (a field missing, a body that is not JSON), as the error of the
    /// call `method path` (`path` from the base URL) that got it.
    public func malformed(
        _ method: String, _ path: String, reason: String, status: Int? = nil, requestID: String? = nil, mayHavePartlyApplied: Bool = false
    ) -> ProviderError {
        ProviderError(
            .malformed(reason: reason), bank: bank, request: "\(method) \(baseURL)\(path)", status: status, requestID: requestID,
            mayHavePartlyApplied: mayHavePartlyApplied)
    }

    /// The answer's JSON as `Payload`, or a `malformed` error naming the request.
    ///
    /// The decoder reads the answer's bytes where they are: a copy would add the answer's size again (12 MB for a list
    /// of 50,000 accounts) while the decoder's own map of it is held.
    public func decode<Payload: Decodable>(_ type: Payload.Type, from reply: HTTPReply, request: String) throws -> Payload {
        do {
            return try reply.body.withUnsafeBytes { bytes throws -> Payload in
                guard let start = bytes.baseAddress, !bytes.isEmpty else { return try JSONDecoder().decode(Payload.self, from: Data()) }
                // Not owned: the bytes outlive the decoder, which keeps nothing of them once it returns.
                let borrowed = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: start), count: bytes.count, deallocator: .none)
                return try JSONDecoder().decode(Payload.self, from: borrowed)
            }
        } catch {
            throw ProviderError(
                .malformed(reason: "\(error)"), bank: bank, request: request, status: reply.status,
                requestID: reply.header(errors.requestIDHeader))
        }
    }

    /// Text as one path segment: every character but RFC 3986's unreserved ones (letters, digits, `-._~`)
    /// percent-encoded, so an id from a bank or state (`../x`, `a/b`, `?q`) stays one segment of the path it is put in.
    public static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static let unreserved: CharacterSet = {
        var set = CharacterSet()
        set.insert(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return set
    }()

    /// The start of a body that is not the bank's envelope, for the error message.
    static func snippet(_ body: [UInt8]) -> String? {
        guard !body.isEmpty else { return nil }
        return String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// An HTTP request as a provider builds it: the body is the exact bytes that go on the wire.
public struct HTTPCall: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header with this name, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The call changes something at the bank (anything but GET, HEAD and OPTIONS).
    public var isMutating: Bool { !RetryingTransport.isSafeToRepeat(method) }

    /// `METHOD URL`, for errors and logs; never includes headers or body.
    public var summary: String { "\(method) \(url)" }
}

/// An HTTP response with its whole body.
public struct HTTPReply: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Sends HTTP calls; throws `TransportFailure` when no response arrived.
public protocol HTTPTransport: Sendable {
    func send(_ call: HTTPCall) async throws -> HTTPReply
}

/// No response: connection refused, timeout, TLS failure.
public struct TransportFailure: Error, Sendable, CustomStringConvertible {
    public var reason: String
    /// The request may have reached the server before the failure.
    public var requestMayHaveBeenSent: Bool
    /// Asking again cannot help (an answer over the size limit): never retried.
    public var isFinal: Bool

    public init(reason: String, requestMayHaveBeenSent: Bool, isFinal: Bool = false) {
        self.reason = reason
        self.requestMayHaveBeenSent = requestMayHaveBeenSent
        self.isFinal = isFinal
    }

    public var description: String { reason }
}

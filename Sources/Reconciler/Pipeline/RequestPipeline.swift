/// The layers every call of one provider instance goes through, from the client down to the wire:
/// bearer token (optional, outside retries) → retry with rate limit → signer → redaction of echoed credentials →
/// payload codec → deadline → log → wire.
///
/// Invariant: one rate limiter per provider instance, shared by every call of a run, so `rate_limit` holds for the whole provider.
public struct RequestPipeline: Sendable {
    public let wire: any HTTPTransport
    public let limiter: RateLimiter?
    public let retry: RetryPolicy
    /// Each attempt's bound, connect to last body byte (`request_timeout`).
    public let deadline: Duration

    public init(wire: any HTTPTransport, limiter: RateLimiter? = nil, retry: RetryPolicy = .standard, deadline: Duration = .seconds(30)) {
        self.wire = wire
        self.limiter = limiter
        self.retry = retry
        self.deadline = deadline
    }

    /// The transport a bank's client sends through: retried and rate limited, signed and encoded per attempt.
    public func transport(signer: (any RequestSigner)? = nil, codec: (any PayloadCodec)? = nil) -> any HTTPTransport {
        var transport: any HTTPTransport = DeadlineTransport(LoggingTransport(wire), deadline: deadline)
        if let codec { transport = CodecTransport(transport, codec: codec) }
        transport = RedactingTransport(transport)
        if let signer { transport = SigningTransport(transport, signer: signer) }
        return RetryingTransport(transport, limiter: limiter, policy: retry)
    }
}

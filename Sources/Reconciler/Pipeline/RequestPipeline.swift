import Foundation

/// The layers every call of one provider instance goes through, from the client down to the wire:
/// bearer token (optional, outside retries) → retry with rate limit → deadline → signer → redaction of echoed
/// credentials → payload codec → log → the bank's clock read from each answer's `Date` header → wire.
///
/// Invariant: nothing between the signer and the wire waits (the deadline's tasks start above the signer), so a
/// signature's timestamp is as fresh as the moment the request leaves, however busy the process is.
///
/// Invariant: one rate limiter per provider instance, shared by every call of a run, so `rate_limit` holds for the whole provider.
public struct RequestPipeline: Sendable {
    public let wire: any HTTPTransport
    public let limiter: RateLimiter?
    public let retry: RetryPolicy
    /// Each attempt's bound, connect to last body byte (`request_timeout`).
    public let deadline: Duration
    /// The bank's clock as the `Date` header of its latest answer shows it, for `provision check`.
    public let serverClock = ServerClock()

    public init(wire: any HTTPTransport, limiter: RateLimiter? = nil, retry: RetryPolicy = .standard, deadline: Duration = .seconds(30)) {
        self.wire = wire
        self.limiter = limiter
        self.retry = retry
        self.deadline = deadline
    }

    /// The transport a bank's client sends through: retried and rate limited, signed and encoded per attempt.
    public func transport(signer: (any RequestSigner)? = nil, codec: (any PayloadCodec)? = nil) -> any HTTPTransport {
        var transport: any HTTPTransport = LoggingTransport(ClockReadingTransport(base: wire, clock: serverClock, now: { Date() }))
        if let codec { transport = CodecTransport(transport, codec: codec) }
        transport = RedactingTransport(transport)
        if let signer { transport = SigningTransport(transport, signer: signer) }
        return RetryingTransport(DeadlineTransport(transport, deadline: deadline), limiter: limiter, policy: retry)
    }
}

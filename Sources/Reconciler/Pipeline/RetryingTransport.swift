import Foundation

/// When and how long to retry.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first one included.
    public var maxAttempts: Int
    /// The backoff ceiling of the first retry; it doubles with every further retry.
    public var baseDelay: Duration
    /// The backoff ceiling never grows past this.
    public var maxDelay: Duration
    /// The longest `Retry-After` honoured; a longer one is waited for this long.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8),
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    public static let standard = RetryPolicy()

    /// The ceiling of the backoff before retry number `retry` (1 for the first retry): base × 2^(retry-1), capped.
    public func backoffCeiling(retry: Int) -> Duration {
        var ceiling = baseDelay
        for _ in 1..<max(1, retry) {
            ceiling *= 2
            if ceiling >= maxDelay { break }
        }
        return min(ceiling, maxDelay)
    }
}

/// Wraps a transport: takes a rate-limit token before every attempt and retries what is safe to repeat.
///
/// - 429: always retried (the bank refused the request without processing it), after `Retry-After`
///   (seconds or an HTTP date, capped by the policy) or, without one, the backoff.
/// - 5xx, and a failure after the request may have been sent: retried only for GET, HEAD and OPTIONS.
///   A POST, PUT, PATCH or DELETE that may have reached the bank is never sent twice; the next plan finds
///   the object by its natural key instead.
/// - A failure before the request was sent (connection refused): retried for every method.
///
/// Backoff is "full jitter": a random wait between zero and the retry's ceiling.
public struct RetryingTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let limiter: RateLimiter?
    public let policy: RetryPolicy
    let sleep: @Sendable (Duration) async throws -> Void
    let jitter: @Sendable (Duration) -> Duration
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - sleep: waits between attempts; tests pass one that records and returns at once.
    ///   - jitter: picks the wait in `0...ceiling`; by default uniformly at random.
    ///   - now: the time against which an HTTP-date `Retry-After` is measured.
    public init(
        _ base: any HTTPTransport, limiter: RateLimiter? = nil, policy: RetryPolicy = .standard,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        jitter: @escaping @Sendable (Duration) -> Duration = { RetryingTransport.fullJitter($0) },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.base = base
        self.limiter = limiter
        self.policy = policy
        self.sleep = sleep
        self.jitter = jitter
        self.now = now
    }

    /// A uniformly random duration in `0...ceiling`.
    public static func fullJitter(_ ceiling: Duration) -> Duration {
        let seconds = ceiling.seconds
        guard seconds > 0 else { return .zero }
        return .nanoseconds(Int64((Double.random(in: 0...seconds) * 1e9).rounded()))
    }

    /// Methods that may be sent again whatever happened to the first attempt.
    public static func isSafeToRepeat(_ method: String) -> Bool {
        ["GET", "HEAD", "OPTIONS"].contains(method.uppercased())
    }

    public func send(_ call: HTTPCall) async throws -> HTTPReply {
        let safe = Self.isSafeToRepeat(call.method)
        var attempt = 1
        while true {
            try await limiter?.acquire()
            let wait: Duration
            do {
                let reply = try await base.send(call)
                guard attempt < policy.maxAttempts, let delay = retryDelay(after: reply, safe: safe, retry: attempt) else {
                    return reply
                }
                wait = delay
            } catch let failure as TransportFailure {
                // Sent, or maybe sent: only a request that is safe to repeat goes again.
                guard attempt < policy.maxAttempts, !failure.isFinal, safe || !failure.requestMayHaveBeenSent else { throw failure }
                wait = jitter(policy.backoffCeiling(retry: attempt))
            }
            try await sleep(wait)
            attempt += 1
        }
    }

    /// How long to wait before retrying after `reply`, or nil when it must not be retried.
    func retryDelay(after reply: HTTPReply, safe: Bool, retry: Int) -> Duration? {
        let status = reply.status
        if status == 429 {
            return retryAfter(reply) ?? jitter(policy.backoffCeiling(retry: retry))
        }
        // 501 Not Implemented and 505 HTTP Version Not Supported do not go away by asking again.
        guard safe, (500...599).contains(status), status != 501, status != 505 else { return nil }
        return retryAfter(reply) ?? jitter(policy.backoffCeiling(retry: retry))
    }

    /// The reply's `Retry-After`, capped by the policy; nil when absent or unreadable.
    func retryAfter(_ reply: HTTPReply) -> Duration? {
        guard let text = reply.header("Retry-After")?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let wait: Duration
        if let seconds = Int(text) {
            guard seconds >= 0 else { return nil }
            wait = .seconds(seconds)
        } else if let date = Self.httpDate(text) {
            let seconds = max(0, date.timeIntervalSince(now()))
            wait = .milliseconds(Int64((seconds * 1000).rounded(.up)))
        } else {
            return nil
        }
        return min(wait, policy.maxRetryAfter)
    }

    /// Parses an HTTP date: IMF-fixdate, or the obsolete RFC 850 and asctime forms.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}

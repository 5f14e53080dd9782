/// A token bucket with a burst of one, shared by every call to one provider instance in a run.
///
/// Requests are released one at a time, each at least `1/requestsPerSecond` after the previous release, measured
/// on the clock after waking. So no window of one second ever holds more than `requestsPerSecond` releases, and
/// late wake-ups only ever widen the gaps (they never let two requests bunch up).
public actor RateLimiter {
    /// The rate in whole requests per second, at least 1 (informational for a slower window).
    public nonisolated let requestsPerSecond: Int
    /// The gap between two releases.
    public nonisolated let interval: Duration

    /// Time since the limiter was made, on its clock.
    private let elapsed: @Sendable () -> Duration
    /// Sleeps until the given time since the limiter was made.
    private let sleepUntil: @Sendable (Duration) async throws -> Void
    /// When the next request may go, as time since the limiter was made; nil before the first one.
    private var nextRelease: Duration?
    /// Requests released so far.
    public private(set) var released = 0

    /// - Parameter clock: the clock to measure and sleep on; tests pass one that does not wait for real.
    public init<C: Clock>(requestsPerSecond: Int, clock: C = ContinuousClock()) where C.Duration == Duration {
        self.init(requests: requestsPerSecond, per: .seconds(1), clock: clock)
    }

    /// At most `requests` in any `window` (e.g. a bank plan's 100 a minute), released evenly.
    public init<C: Clock>(requests: Int, per window: Duration, clock: C = ContinuousClock()) where C.Duration == Duration {
        let count = max(1, requests)
        self.requestsPerSecond = max(1, Int(Double(count) / max(window.seconds, 1e-9)))
        self.interval = window / count
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
        self.sleepUntil = { offset in try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil) }
    }

    /// Waits for this request's turn. Throws `CancellationError` when the task is cancelled while waiting.
    public func acquire() async throws {
        while true {
            try Task.checkCancellation()
            let now = elapsed()
            guard let next = nextRelease, next > now else {
                // Claimed on the actor with the time just read: the next release is a full interval from now.
                nextRelease = now + interval
                released += 1
                return
            }
            // Others may wake at the same deadline; whoever reaches the actor first goes, the rest wait again.
            try await sleepUntil(next)
        }
    }
}

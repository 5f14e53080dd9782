import NIOPosix
import Synchronization

/// Bounds each attempt as a whole (connect, head and body): past the deadline the attempt is cancelled and fails.
///
/// Invariant: an attempt never outlives its deadline by more than the time cancellation takes.
public struct DeadlineTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let deadline: Duration

    public init(_ base: any HTTPTransport, deadline: Duration) {
        self.base = base
        self.deadline = deadline
    }

    public func send(_ call: HTTPCall) async throws -> HTTPReply {
        let base = base
        let attempt = Task { try await base.send(call) }
        let expired = Mutex(false)
        // A timer on an event loop, cancelled (and freed) once the attempt ends: a sleeping task per attempt would
        // outlive its cancellation until its deadline, 50,000 of them (20 MB) in an apply of 50,000 creates.
        let timer = MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: .nanoseconds(Int64(deadline.seconds * 1e9))) {
            expired.withLock { $0 = true }
            attempt.cancel()
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler { try await attempt.value } onCancel: { attempt.cancel() }
        } catch where expired.withLock({ $0 }) {
            throw TransportFailure(
                reason: "no complete answer within \(Self.describe(deadline)) (request_timeout)", requestMayHaveBeenSent: true)
        }
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}

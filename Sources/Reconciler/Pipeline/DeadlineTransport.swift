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

    struct Expired: Error {}

    public func send(_ call: HTTPCall) async throws -> HTTPReply {
        let deadline = deadline
        let base = base
        do {
            return try await withThrowingTaskGroup(of: HTTPReply.self) { group in
                group.addTask { try await base.send(call) }
                group.addTask {
                    try await Task.sleep(for: deadline)
                    throw Expired()
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch is Expired {
            throw TransportFailure(
                reason: "no complete answer within \(Self.describe(deadline)) (request_timeout)", requestMayHaveBeenSent: true)
        }
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}

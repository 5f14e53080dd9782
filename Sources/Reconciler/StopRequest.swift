import Synchronization

/// A request to stop an apply early (SIGINT, SIGTERM): no new bank call starts once it is made, the calls in
/// flight finish, and their outcomes are recorded.
public final class StopRequest: Sendable {
    let signal = Mutex<Int32?>(nil)

    public init() {}

    /// Records the request; true for the first one.
    @discardableResult
    public func request(signal number: Int32) -> Bool {
        signal.withLock { current in
            guard current == nil else { return false }
            current = number
            return true
        }
    }

    /// The signal that asked to stop, if one did.
    public var requested: Int32? { signal.withLock { $0 } }
}

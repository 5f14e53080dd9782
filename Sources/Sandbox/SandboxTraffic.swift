import Hummingbird
import Synchronization

/// What a running sandbox has served: requests answered, by method and by route, and the most it was answering at once.
///
/// Invariant: `inFlight` counts requests between arrival and answer, fault latency included.
public final class SandboxTraffic: Sendable {
    public struct Counts: Sendable, Equatable {
        public var requests = 0
        public var inFlight = 0
        public var maxInFlight = 0
        /// Requests per HTTP method, e.g. `POST`.
        public var byMethod: [String: Int] = [:]
        /// Requests per `METHOD /path` (the path without its query), e.g. `POST /finan/open/api/v1/bank-accounts`.
        public var byRoute: [String: Int] = [:]
    }

    let counts = Mutex(Counts())

    public init() {}

    /// The counts so far.
    public var current: Counts { counts.withLock { $0 } }

    /// Starts counting afresh (requests in flight stay counted).
    public func reset() {
        counts.withLock { $0 = Counts(requests: 0, inFlight: $0.inFlight, maxInFlight: $0.inFlight) }
    }

    func arrived(method: String, path: String) {
        counts.withLock {
            $0.requests += 1
            $0.byMethod[method, default: 0] += 1
            $0.byRoute["\(method) \(path)", default: 0] += 1
            $0.inFlight += 1
            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
        }
    }

    func answered() {
        counts.withLock { $0.inFlight -= 1 }
    }
}

/// Counts every request of the sandbox into its `SandboxTraffic`.
struct TrafficMiddleware<Context: RequestContext>: RouterMiddleware {
    let traffic: SandboxTraffic

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        traffic.arrived(method: request.method.rawValue, path: request.uri.path)
        defer { traffic.answered() }
        return try await next(request, context)
    }
}

import HTTPTypes
import Hummingbird

/// A bank's routes on its router group, and the bank's own answer for every request below its mount that no route takes.
///
/// Hummingbird's router answers a method a path lacks, or a path that stops between routes, with its plain 404, and it
/// skips empty path components. So once the bank's routes are in, this registers, for each of `answeredMethods`: the
/// methods each route lacks, every path between the mount and a route, the mount itself and a catch-all `**`, all
/// answered by the bank's `unmatched`. A route reached through an empty component (`//`, a trailing `/`) is unmatched too.
final class SimulatorRoutes {
    typealias Handler = @Sendable (SimulatedRequest) async -> SimulatedResponse
    /// The bank's answer to a request no route takes, given the methods its path has (none for an unknown path).
    ///
    /// `allowed` leaves out HEAD, which the `Allow` header of a 405 does not name.
    typealias Unmatched = @Sendable (SimulatedRequest, _ allowed: [String]) async -> SimulatedResponse

    /// The methods a bank answers itself; any other method gets the router's plain 404.
    static let answeredMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace]

    /// A route path below the mount, with its handlers in the order they were added.
    private struct Route {
        var path: String
        var handlers: [(method: HTTPRequest.Method, handler: Handler)]

        var components: [Substring] { path.split(separator: "/") }
        var allowed: [String] { handlers.map(\.method).filter { $0 != .head }.map(\.rawValue) }
    }

    private let group: RouterGroup<BasicRequestContext>
    private let mount: String
    private let unmatched: Unmatched
    private var routes: [Route] = []

    private init(group: RouterGroup<BasicRequestContext>, mount: String, unmatched: @escaping Unmatched) {
        self.group = group
        self.mount = mount
        self.unmatched = unmatched
    }

    /// Registers on `group` (mounted at `mount`) the routes `addRoutes` adds, then the answers for what they leave unmatched.
    static func register(
        on group: RouterGroup<BasicRequestContext>, mount: String, unmatched: @escaping Unmatched,
        _ addRoutes: (SimulatorRoutes) -> Void
    ) {
        let routes = SimulatorRoutes(group: group, mount: mount, unmatched: unmatched)
        addRoutes(routes)
        routes.answerUnmatched()
    }

    func get(_ path: String, _ handler: @escaping Handler) {
        on(path, method: .get, handler)
    }

    func post(_ path: String, _ handler: @escaping Handler) {
        on(path, method: .post, handler)
    }

    /// Answers `method` on `path` (below the mount; `{name}` components capture) with `handler`.
    func on(_ path: String, method: HTTPRequest.Method, _ handler: @escaping Handler) {
        if let index = routes.firstIndex(where: { $0.path == path }) {
            routes[index].handlers.append((method, handler))
        } else {
            routes.append(Route(path: path, handlers: [(method, handler)]))
        }
        let names = path.split(separator: "/").compactMap(Self.captureName).map(String.init)
        route(path, method: method, handler) { parameters in
            Dictionary(uniqueKeysWithValues: names.map { ($0, parameters.get($0) ?? "") })
        }
    }

    private func answerUnmatched() {
        for route in routes {
            for method in Self.answeredMethods where !route.handlers.contains(where: { $0.method == method }) {
                answer(route.path, method: method, allowed: route.allowed)
            }
        }
        for path in ["", "**"] {
            for method in Self.answeredMethods {
                answer(path, method: method, allowed: [])
            }
        }
        for path in pathsBetweenRoutes() {
            answerBetween(path)
        }
    }

    /// Answers a path between the mount and a route: as the route with captures it also is, or unmatched.
    ///
    /// Hummingbird's trie does not go back from a constant component to a capture beside it: `v1/company/edit` stops at
    /// the `edit` of `v1/company/edit/{xid}` instead of reaching `v1/company/{xid}`, so it is registered as that route.
    private func answerBetween(_ path: String) {
        let components = path.split(separator: "/")
        let constant = !components.contains { Self.captureName($0) != nil }
        let candidates = constant ? routes.compactMap { route in Self.captures(of: route, in: components).map { (route, $0) } } : []
        guard let (route, captured) = candidates.max(by: { $0.1.count > $1.1.count }) else {
            for method in Self.answeredMethods {
                answer(path, method: method, allowed: [])
            }
            return
        }
        for (method, handler) in route.handlers {
            self.route(path, method: method, handler) { _ in captured }
        }
        for method in Self.answeredMethods where !route.handlers.contains(where: { $0.method == method }) {
            answer(path, method: method, allowed: route.allowed)
        }
    }

    /// The paths from the mount to a route that are no route themselves, e.g. `api/v1` for `api/v1/bank-accounts`.
    private func pathsBetweenRoutes() -> [String] {
        let routePaths = routes.map(\.path)
        var between: [String] = []
        for route in routes {
            let components = route.components
            for count in 1..<max(components.count, 1) {
                let prefix = components.prefix(count).joined(separator: "/")
                if !routePaths.contains(prefix) && !between.contains(prefix) { between.append(prefix) }
            }
        }
        return between
    }

    /// Registers `handler` for `method` on `path`, with the captures `parameters` reads from the router's.
    private func route(
        _ path: String, method: HTTPRequest.Method, _ handler: @escaping Handler,
        parameters: @escaping @Sendable (Parameters) -> [String: String]
    ) {
        let unmatched = unmatched
        register(path, method: method) { request, routerParameters in
            guard !request.hasEmptyComponent else { return await unmatched(request, []) }
            var request = request
            request.parameters = parameters(routerParameters)
            return await handler(request)
        }
    }

    /// Registers the bank's `unmatched` for `method` on `path`, with the methods the path has.
    private func answer(_ path: String, method: HTTPRequest.Method, allowed: [String]) {
        let unmatched = unmatched
        register(path, method: method) { request, _ in await unmatched(request, request.hasEmptyComponent ? [] : allowed) }
    }

    /// Registers `respond` for `method` on `path`, handing it the request as the simulator sees it and the router's captures.
    private func register(
        _ path: String, method: HTTPRequest.Method,
        _ respond: @escaping @Sendable (SimulatedRequest, Parameters) async -> SimulatedResponse
    ) {
        let mount = mount
        group.on(RouterPath(path), method: method) { request, context -> Response in
            var request = request
            let simulated = try await SimulatedRequest(&request, mount: mount)
            return Response(await respond(simulated, context.parameters), to: request.method)
        }
    }

    /// The name of a `{name}` component; nil for a constant one.
    private static func captureName(_ component: Substring) -> Substring? {
        component.hasPrefix("{") && component.hasSuffix("}") ? component.dropFirst().dropLast() : nil
    }

    /// What `route` captures of constant `components` when it has captures and matches them all; nil otherwise.
    private static func captures(of route: Route, in components: [Substring]) -> [String: String]? {
        let pattern = route.components
        guard pattern.count == components.count else { return nil }
        var captured: [String: String] = [:]
        for (part, component) in zip(pattern, components) {
            if let name = captureName(part) {
                captured[String(name)] = String(component)
            } else if part != component {
                return nil
            }
        }
        return captured.isEmpty ? nil : captured
    }
}

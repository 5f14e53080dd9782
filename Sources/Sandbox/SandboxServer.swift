import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// How to run the sandbox.
public struct SandboxConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; `RunningSandbox.port` tells which.
    public var port: Int
    /// Where the simulators persist their worlds (`finan.json`, ...); nil keeps them in memory.
    public var dataDirectory: String?
    /// A JSON seed replacing the built-in defaults, used only when no persisted world exists yet.
    public var seedFile: String?
    /// Lifetime of a SePay access token in seconds, answered as `ttl` by `POST /v1/token`.
    public var sepayTokenTTL: Int
    /// Lifetime of a SePay link token in seconds.
    public var sepayLinkTokenTTL: TimeInterval
    /// Delays before each retry of a SePay webhook delivery that could not reach the receiver; one entry per retry.
    /// SePay retries up to 7 times, Fibonacci-spaced in minutes (the default); tests pass tiny delays.
    public var sepayWebhookRetryDelays: [Duration]
    public var now: @Sendable () -> Date

    public static let sepayDefaultRetryDelays: [Duration] = [1, 1, 2, 3, 5, 8, 13].map { .seconds($0 * 60) }

    public init(
        host: String = "127.0.0.1", port: Int = 0, dataDirectory: String? = nil, seedFile: String? = nil,
        sepayTokenTTL: Int = 60000, sepayLinkTokenTTL: TimeInterval = 1800,
        sepayWebhookRetryDelays: [Duration] = SandboxConfiguration.sepayDefaultRetryDelays,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.seedFile = seedFile
        self.sepayTokenTTL = sepayTokenTTL
        self.sepayLinkTokenTTL = sepayLinkTokenTTL
        self.sepayWebhookRetryDelays = sepayWebhookRetryDelays
        self.now = now
    }
}

/// A sandbox started in this process.
public struct RunningSandbox: Sendable {
    /// The port actually bound, read back from the listening channel.
    public let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>
    /// Delivers the SePay simulator's webhook events.
    let sepayWebhooks: SePayWebhookDispatcher?

    /// Stops the server gracefully and returns when it is down; SePay webhook deliveries still pending are dropped.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        await sepayWebhooks?.shutdown()
    }
}

/// All bank simulators on one HTTP port, each under its own path prefix.
public enum SandboxServer {
    /// Starts the simulators in this process; returns once the port is bound.
    public static func start(_ configuration: SandboxConfiguration) async throws -> RunningSandbox {
        let app = try makeApplication(configuration)
        let webhooks = app.simulators.lazy.compactMap { ($0 as? SePaySimulator)?.webhooks }.first
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = app.withPortReporter { continuation.yield($0); continuation.finish() }.serviceGroup(signals: [])
        let task = Task { try await group.run() }
        let watcher = Task {
            _ = await task.result
            continuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = await watcher.value
            do {
                try await task.value
            } catch {
                throw SandboxError.bindFailed(host: configuration.host, port: configuration.port, reason: "\(error)")
            }
            throw SandboxError.bindFailed(host: configuration.host, port: configuration.port, reason: "the server stopped at once")
        }
        return RunningSandbox(port: port, group: group, task: task, sepayWebhooks: webhooks)
    }

    /// Serves until SIGINT or SIGTERM; `onReady` gets the bound port once listening.
    public static func serve(_ configuration: SandboxConfiguration, onReady: @escaping @Sendable (Int) -> Void) async throws {
        try await makeApplication(configuration).withPortReporter(onReady).serviceGroup(signals: [.sigint, .sigterm]).run()
    }

    static func makeApplication(_ configuration: SandboxConfiguration) throws -> SandboxApplication {
        let seed = try configuration.seedFile.map(SandboxSeed.load(path:)) ?? .defaults
        let folder = configuration.dataDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let finan = FinanSimulator(
            world: try FinanWorld(file: folder?.appendingPathComponent("finan.json"), seed: seed.finan), now: configuration.now)
        let sepay = SePaySimulator(
            world: try SePayWorld(file: folder?.appendingPathComponent("sepay.json"), seed: seed.sepay),
            webhooks: SePayWebhookDispatcher(retryDelays: configuration.sepayWebhookRetryDelays),
            tokenTTL: configuration.sepayTokenTTL, linkTokenTTL: configuration.sepayLinkTokenTTL, now: configuration.now)
        return SandboxApplication(configuration: configuration, simulators: [finan, sepay])
    }
}

/// The Hummingbird application serving a set of simulators.
struct SandboxApplication: Sendable {
    let configuration: SandboxConfiguration
    let simulators: [any BankSimulator]
    var reportPort: @Sendable (Int) -> Void = { _ in }

    func withPortReporter(_ report: @escaping @Sendable (Int) -> Void) -> SandboxApplication {
        var copy = self
        copy.reportPort = report
        return copy
    }

    func application() -> some ApplicationProtocol {
        let router = Router()
        for simulator in simulators {
            router.add(middleware: MountMiddleware(simulator: simulator))
        }
        var logger = Logger(label: "provision.sandbox")
        logger.logLevel = .error
        let report = reportPort
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "provision-sandbox"),
            onServerRunning: { channel in report(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// A service group running the application; `signals` trigger its graceful shutdown.
    func serviceGroup(signals: [UnixSignal]) -> ServiceGroup {
        var logger = Logger(label: "provision.sandbox")
        logger.logLevel = .error
        return ServiceGroup(configuration: .init(services: [application()], gracefulShutdownSignals: signals, logger: logger))
    }

    static func respond(_ request: Request, simulator: any BankSimulator) async throws -> Response {
        let body = try await request.body.collect(upTo: 4 << 20)
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
        }
        // HTTP/1 `Host` arrives as the request's authority, not as a header field.
        if let authority = request.head.authority, headers["host"] == nil { headers["host"] = authority }
        let path = String(request.uri.path.dropFirst(simulator.mount.count))
        let simulated = SimulatedRequest(
            method: request.method.rawValue, path: path.isEmpty ? "/" : path, rawQuery: request.uri.query,
            headers: headers, body: Array(body.readableBytesView))
        let answer = await simulator.handle(simulated)
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let bytes = request.method == .head ? ByteBuffer() : ByteBuffer(bytes: answer.body)
        return Response(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: bytes))
    }
}

/// Hands every request at or below a simulator's mount point, whatever its method, to that simulator.
///
/// Requests outside every mount point fall through to the router's plain 404.
struct MountMiddleware<Context: RequestContext>: RouterMiddleware {
    let simulator: any BankSimulator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == simulator.mount || path.hasPrefix(simulator.mount + "/") else {
            return try await next(request, context)
        }
        return try await SandboxApplication.respond(request, simulator: simulator)
    }
}

import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// The Hummingbird application serving the simulators of `SimulatorRegistry`, each on a route group at its mount.
///
/// Tests drive it in process through `application()` and HummingbirdTesting's `.router` setup.
struct SandboxApplication: Sendable {
    let configuration: SandboxConfiguration
    let simulators: [any BankSimulator]
    /// The faults' seeded sequence and held-back commits, when faults are configured.
    let dice: FaultDice?
    /// Every request served, counted before faults are injected.
    let traffic = SandboxTraffic()
    var reportPort: @Sendable (Int) -> Void = { _ in }

    /// Builds every simulator, its world read from the data folder or started from the seed.
    init(configuration: SandboxConfiguration) throws {
        self.configuration = configuration
        self.simulators = try SimulatorRegistry.simulators(for: configuration)
        self.dice = configuration.faults.map { FaultDice(seed: $0.seed) }
    }

    func withPortReporter(_ report: @escaping @Sendable (Int) -> Void) -> SandboxApplication {
        var copy = self
        copy.reportPort = report
        return copy
    }

    /// The router: one group a simulator at its mount; a path outside every mount gets the router's plain 404.
    /// With faults configured, every bank's group injects them, drawing from one seeded sequence.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: TrafficMiddleware(traffic: traffic))
        for simulator in simulators {
            let group = router.group(RouterPath(type(of: simulator).mount))
            if let faults = configuration.faults, let dice { group.add(middleware: FaultMiddleware(faults: faults, dice: dice)) }
            simulator.addRoutes(to: group)
        }
        return router
    }

    func application() -> some ApplicationProtocol {
        let report = reportPort
        return Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "provision-sandbox"),
            onServerRunning: { channel in report(channel.localAddress?.port ?? 0) },
            logger: Self.logger)
    }

    /// A service group running the application; `signals` trigger its graceful shutdown.
    func serviceGroup(signals: [UnixSignal]) -> ServiceGroup {
        ServiceGroup(configuration: .init(services: [application()], gracefulShutdownSignals: signals, logger: Self.logger))
    }

    /// Stops the simulators' background work, once nothing is served any more.
    func shutdown() async {
        for simulator in simulators {
            await simulator.shutdown()
        }
    }

    static var logger: Logger {
        var logger = Logger(label: "provision.sandbox")
        logger.logLevel = .error
        return logger
    }
}

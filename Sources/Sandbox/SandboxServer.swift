import Foundation
import ServiceLifecycle

/// A sandbox started in this process.
public struct RunningSandbox: Sendable {
    /// The port actually bound, read back from the listening channel.
    public let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let application: SandboxApplication

    /// What the sandbox has served so far.
    public var traffic: SandboxTraffic { application.traffic }

    /// Returns once every commit a `late` fault held back has landed, so a test can plan against a settled bank.
    public func faultsSettled() async {
        await application.dice?.settled()
    }

    /// Stops the server gracefully and returns when it is down.
    ///
    /// Background work of the simulators (SePay webhook deliveries still pending) is dropped.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        await application.shutdown()
    }
}

/// All bank simulators on one HTTP port, each under its own path prefix.
public enum SandboxServer {
    /// Starts the simulators in this process; returns once the port is bound.
    public static func start(_ configuration: SandboxConfiguration) async throws -> RunningSandbox {
        let app = try SandboxApplication(configuration: configuration)
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
            await app.shutdown()
            do {
                try await task.value
            } catch {
                throw SandboxError.bindFailed(host: configuration.host, port: configuration.port, reason: SandboxError.bindReason(error))
            }
            throw SandboxError.bindFailed(host: configuration.host, port: configuration.port, reason: "the server stopped at once")
        }
        return RunningSandbox(port: port, group: group, task: task, application: app)
    }

    /// Serves until SIGINT or SIGTERM; `onReady` gets the bound port once listening, and what the simulators say at start.
    public static func serve(_ configuration: SandboxConfiguration, onReady: @escaping @Sendable (Int, [String]) -> Void) async throws {
        let hold = try configuration.dataDirectory.map(SandboxDataLock.acquire)
        defer { hold?.release() }
        var app = try SandboxApplication(configuration: configuration)
        var notes: [String] = []
        for simulator in app.simulators { notes += await simulator.startupNotes() }
        let said = notes
        app = app.withPortReporter { onReady($0, said) }
        do {
            try await app.serviceGroup(signals: [.sigint, .sigterm]).run()
        } catch {
            await app.shutdown()
            guard "\(error)".contains("bind") else { throw error }
            throw SandboxError.bindFailed(host: configuration.host, port: configuration.port, reason: SandboxError.bindReason(error))
        }
        await app.shutdown()
    }
}

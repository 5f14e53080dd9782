import ArgumentParser
import Foundation
import Sandbox

/// Where a scenario's bank simulators run: in the scenario's process, or in a process of their own (the default), so
/// that the scenario's peak memory and CPU time are the engine's alone, as they are against a real bank.
enum SimulatorPlacement: String, ExpressibleByArgument, CaseIterable, Codable {
    case separate
    case inProcess = "in-process"
}

/// The simulators a scenario runs against: their port, how many requests they answered, and how to stop them.
enum SimulatorHost {
    case inProcess(RunningSandbox)
    case child(SimulatorChild)

    static func start(_ placement: SimulatorPlacement, world: String?, latencyMilliseconds: Int) async throws -> SimulatorHost {
        switch placement {
        case .inProcess:
            let faults = try latencyMilliseconds > 0 ? SandboxFaults(spec: "latency=\(latencyMilliseconds)ms") : nil
            return .inProcess(try await SandboxServer.start(SandboxConfiguration(dataDirectory: world, faults: faults)))
        case .separate:
            return .child(try SimulatorChild(world: world, latencyMilliseconds: latencyMilliseconds))
        }
    }

    var port: Int {
        switch self {
        case .inProcess(let sandbox): return sandbox.port
        case .child(let child): return child.port
        }
    }

    /// Stops the simulators; the requests they answered since they started.
    func stop() async throws -> Int {
        switch self {
        case .inProcess(let sandbox):
            let requests = sandbox.traffic.current.requests
            await sandbox.stop()
            return requests
        case .child(let child):
            return try child.stop()
        }
    }
}

/// `provision-bench simulator` started as a child: it prints `PORT n`, serves until its standard input closes, then
/// prints `REQUESTS n` and exits.
struct SimulatorChild {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    let port: Int

    init(world: String?, latencyMilliseconds: Int) throws {
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["simulator", "--latency-ms", "\(latencyMilliseconds)"] + (world.map { ["--world", $0] } ?? [])
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        guard let line = Self.line(from: output.fileHandleForReading), line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw ValidationError("the simulator process did not report its port")
        }
        self.port = port
    }

    func stop() throws -> Int {
        try input.fileHandleForWriting.close()
        let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = rest.split(separator: "\n").last(where: { $0.hasPrefix("REQUESTS ") }), let requests = Int(line.dropFirst(9)) else {
            throw ValidationError("the simulator process exited \(process.terminationStatus) without its request count")
        }
        return requests
    }

    /// One line read a byte at a time, so that nothing after it is taken from the pipe.
    static func line(from handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            guard let byte = try? handle.read(upToCount: 1), let first = byte.first else { return nil }
            if first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
    }
}

/// Serves the bank simulators for a scenario in another process (see `SimulatorChild`).
struct Simulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator", abstract: "Serve the simulators on a free loopback port until standard input closes (used by scenarios).")

    @Option(help: "The folder of the simulators' world.")
    var world: String?
    @Option(name: .customLong("latency-ms"), help: "Latency added to every request, in milliseconds.")
    var latencyMilliseconds = 0

    func run() async throws {
        let host = try await SimulatorHost.start(.inProcess, world: world, latencyMilliseconds: latencyMilliseconds)
        emit("PORT \(host.port)")
        await Self.waitForClosedInput()
        emit("REQUESTS \(try await host.stop())")
    }

    /// Returns when standard input reaches its end, without holding a thread of the concurrency pool.
    static func waitForClosedInput() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                _ = FileHandle.standardInput.readDataToEndOfFile()
                done.resume()
            }
        }
    }
}

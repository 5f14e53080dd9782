import ArgumentParser
import Foundation
import Banks
import Reconciler
import Sandbox

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the bank simulators.",
        subcommands: [Serve.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the simulators on one port until interrupted.",
            discussion: "Each bank's simulator is served under its own path, listed when the server starts; a provider whose endpoint is http://127.0.0.1:PORT followed by that path behaves as against the bank's real base URL.")

        @Option(help: "Port to listen on (0 picks a free one).")
        var port: Int = 8080

        func validate() throws {
            guard (0...65535).contains(port) else {
                throw ValidationError("--port must be from 0 to 65535 (0 picks a free port), not \(port).")
            }
            if let faults {
                do { _ = try SandboxFaults(spec: faults) } catch { throw ValidationError("--faults: \(error).") }
            }
        }

        @Option(help: "Address to listen on.")
        var host: String = "127.0.0.1"

        @Option(name: .customLong("data"), help: "Folder where the simulators keep their world.")
        var dataDirectory: String = ".provision/sandbox"

        @Option(help: "Faults to inject, e.g. 5xx=0.1,429=0.05,drop=0.05,latency=20ms,seed=7 (see docs/sandbox.md).")
        var faults: String?

        @Option(help: "JSON seed file that replaces the built-in defaults (see docs/sandbox.md).")
        var seed: String?

        @OptionGroup var display: OutputOptions

        func run() async throws {
            try await Terminal.run(display) {
                let host = host
                try await SandboxServer.serve(
                    SandboxConfiguration(
                        host: host, port: port, dataDirectory: dataDirectory, seedFile: seed, faults: try faults.map { try SandboxFaults(spec: $0) })
                ) { port, notes in
                    Terminal.out("Sandbox listening on http://\(host):\(port)")
                    for bank in BankRegistry.all.banks where bank.canPlan {
                        Terminal.out("  \(bank.schema.displayName): endpoint http://\(host):\(port)\(bank.sandboxMount)")
                    }
                    for note in notes { Terminal.out(note) }
                    Terminal.out("Press Ctrl-C to stop.")
                    fflush(nil)
                }
            }
        }
    }
}

import ArgumentParser
import Reconciler
import Rendering

/// How a check is printed.
enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check, read-only, that every bank will accept what plan and apply send, before anything is written.",
        discussion: """
            Per provider, in parallel: the endpoint's TLS certificate (does it verify, when does it expire), the credentials \
            (a list or probe call, never a write), this machine's clock against the bank's where signatures carry a time, \
            key pairs and sizes, certificate expiry (a warning within 30 days), subscriptions by probe; and the state backend \
            and its lock. Exit codes: 0 all ok, 2 warnings only, 1 anything failed.
            """)

    @OptionGroup var options: ManifestOptions

    @Option(help: "Output format: text or json (for CI).")
    var format: CheckFormat = .text

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            let result = try await CheckOperation().run(in: Workspace.open(options))
            switch format {
            case .text: print(Terminal.style.quiet ? CheckRenderer.summary(result) : CheckRenderer.text(result), terminator: Terminal.style.quiet ? "\n" : "")
            case .json: print(CheckRenderer.json(result), terminator: "")
            }
            if result.exitCode != 0 { throw ExitCode(result.exitCode) }
        }
    }
}

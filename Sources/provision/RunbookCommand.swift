import ArgumentParser
import PlanModel
import Reconciler
import Rendering

/// How a runbook is printed.
enum RunbookFormat: String, ExpressibleByArgument, CaseIterable {
    case markdown, html, json

    func render(_ runbook: Runbook) -> String {
        switch self {
        case .markdown: return RunbookRenderer.markdown(runbook)
        case .html: return RunbookRenderer.html(runbook)
        case .json: return RunbookRenderer.json(runbook)
        }
    }
}

struct RunbookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "List every step a person must take for an environment, across banks, with its status and the command that records it.",
        discussion: """
            Gates first, in their declared order, then portal, e-mail and browser steps in dependency order, each with its owner \
            (owner: in the manifest), status (done, with the probe's words or who confirmed it, when and the note; pending; waiting \
            for another step), the command that records it and what it unblocks; then "n of m done". A bank that cannot be read, \
            or every bank with --offline, is reported from state and the manifest, marked unverified. Calls no write API and \
            changes no state. Exit codes: 0, 1 error.
            """)

    @OptionGroup var options: ManifestOptions

    @Option(help: "Output format: markdown, html (one self-contained page) or json.")
    var format: RunbookFormat = .markdown

    @Flag(help: "Contact no bank: report from state and the manifest, marking statuses unverified.")
    var offline = false

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            let workspace = try Self.openWorkspace(options)
            let runbook = try await RunbookOperation(RunbookRequest(offline: offline, invocation: options.invocation)).run(in: workspace)
            Terminal.out(format.render(runbook), terminator: "")
        }
    }

    /// The runbook opens its workspace offline: it needs no bank credentials. A provider whose variables are unset is
    /// reported from state and the manifest, marked unverified, and is not contacted.
    static func openWorkspace(_ options: ManifestOptions) throws -> Workspace {
        try Workspace.open(options, credentials: .deferred)
    }
}

import ArgumentParser
import PlanModel
import Reconciler
import Rendering

struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Report what changed at the banks outside provision since the last apply.",
        discussion: "Compares live state with the last-applied state, attribute by attribute; manifest changes not yet applied are not drift. Exit codes: 0 no drift, 2 drift, 1 error.")

    @OptionGroup var options: ManifestOptions

    @Option(help: "Output format: text, json or markdown.")
    var format: PlanFormat = .text

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            let verdict = try await DriftOperation(invocation: options.invocation).run(in: Workspace.open(options))
            switch format {
            case .text: Terminal.plan(DriftReport.text(verdict.plan))
            case .markdown: Terminal.out(DriftReport.markdown(verdict.plan), terminator: "")
            case .json: Terminal.out(format.render(verdict.plan), terminator: "")
            }
            if verdict.driftExitCode != 0 { throw ExitCode(verdict.driftExitCode) }
        }
    }
}

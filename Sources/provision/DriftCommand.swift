import ArgumentParser
import PlanModel
import Reconciler

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
        try await Terminal.run(display) {
            let verdict = try await Workspace.with(options) { workspace in
                try await workspace.plan(allowDelete: false, force: true)
            }
            if format == .text {
                Terminal.plan(DriftReport.text(verdict.plan))
            } else {
                print(format.render(verdict.plan), terminator: "")
            }
            if verdict.driftExitCode != 0 { throw ExitCode(verdict.driftExitCode) }
        }
    }
}

/// The text of `provision drift`: only what changed outside the tool.
enum DriftReport {
    static func text(_ plan: Plan) -> String {
        guard !plan.drift.isEmpty else { return "No drift: every tracked resource matches its last-applied state.\n" }
        var lines: [String] = []
        for drift in plan.drift {
            lines.append("≠ \(drift.address)" + (drift.gone ? " is gone from the bank" : " changed at the bank"))
            for attribute in drift.attributeChanges {
                lines.append("    \(attribute.name): \(attribute.before?.description ?? "(none)") → \(attribute.after?.description ?? "(none)")")
            }
        }
        lines.append("")
        lines.append("\(plan.drift.count) resource\(plan.drift.count == 1 ? "" : "s") drifted. `provision plan` shows how apply would bring them back.")
        return lines.map(PlanRenderer.printable).joined(separator: "\n") + "\n"
    }
}

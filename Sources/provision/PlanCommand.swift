import ArgumentParser
import PlanModel
import Reconciler
import Rendering

/// How a plan is printed.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown

    func render(_ plan: Plan) -> String {
        switch self {
        case .text: return PlanRenderer.text(plan)
        case .json: return PlanRenderer.json(plan)
        case .markdown: return PlanRenderer.markdown(plan)
        }
    }
}

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Read live state from the banks and show what apply would do.",
        discussion: "Exit codes: 0 success, 1 error; with --detailed-exitcode, 0 nothing to do, 1 error, 2 changes.")

    @OptionGroup var options: ManifestOptions

    @OptionGroup var scope: ScopeOptions

    @Option(help: "Output format: text, json (see docs/plan-format.md) or markdown (for pull-request comments).")
    var format: PlanFormat = .text

    @Flag(help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    @Flag(help: "Plan deletes for resources in state that left the manifest (never for protect: true).")
    var allowDelete = false

    @Flag(help: "Accept a plan that changes more than a provider's max_change_percent of its resources.")
    var force = false

    @Option(name: .customLong("out"), help: "Save the plan to this file for `apply --plan FILE`.")
    var outFile: String?

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            if outFile != nil, !scope.isEmpty {
                throw CommandProblem(description: "--out saves whole plans only: leave out --target and --provider, or apply with the same flags instead.")
            }
            let request = PlanRequest(
                allowDelete: allowDelete, force: force, savePath: outFile, describe: PlanRenderer.text, signingKey: SavedPlan.signingKey(),
                invocation: options.invocation)
            let workspace = try Workspace.open(options, scope: scope)
            let verdict = try await PlanProgress().showing { onRefresh in try await PlanOperation(request).run(in: workspace, onRefresh: onRefresh) }
            if format == .text {
                Terminal.plan(Terminal.style.quiet ? PlanRenderer.summary(verdict.plan) + "\n" : format.render(verdict.plan))
            } else {
                Terminal.out(format.render(verdict.plan), terminator: "")
            }
            let code = try verdict.planExitCode(detailed: detailedExitcode)
            if code != 0 { throw ExitCode(code) }
        }
    }
}

import ArgumentParser
import PlanModel

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Read live state from the banks and show what apply would do.",
        discussion: "Exit codes: 0 success, 1 error; with --detailed-exitcode, 0 nothing to do, 1 error, 2 changes.")

    @OptionGroup var options: ManifestOptions

    @Flag(help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    @Flag(help: "Plan deletes for resources in state that left the manifest (never for protect: true).")
    var allowDelete = false

    func run() async throws {
        try await Terminal.run {
            let plan = try await Workspace.with(options) { workspace in
                try await workspace.planner.plan(workspace.manifest, state: workspace.store.load(), allowDelete: allowDelete)
            }
            print(PlanRenderer.text(plan), terminator: "")
            if plan.hasErrors { throw ExitCode.failure }
            if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
        }
    }
}

import ArgumentParser
import Foundation
import PlanModel
import Reconciler
import Rendering

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Plan, ask for approval, and carry out the changes.",
        discussion: "Exit codes: 0 converged, 1 error, 3 waiting on a person (a manual step is pending).")

    @OptionGroup var options: ManifestOptions

    @OptionGroup var scope: ScopeOptions

    @OptionGroup var lock: LockOptions

    @Flag(help: "Apply without asking for approval.")
    var autoApprove = false

    @Flag(help: "Delete resources in state that left the manifest (never those marked protect: true).")
    var allowDelete = false

    @Flag(help: "Accept a plan that changes more than a provider's max_change_percent of its resources.")
    var force = false

    @Option(help: "The most bank calls in flight at once; steps still wait for the steps they depend on.")
    var parallelism = EngineSettings.defaultParallelism

    @Option(help: "How long to wait for a person to finish a step started in a browser (e.g. 5m); the next run resumes it.")
    var wait = DurationArgument(.zero)

    @Option(name: .customLong("plan"), help: "Apply exactly this saved plan (from `plan --out`); refused if it is stale.")
    var planFile: String?

    @Flag(help: "Record in state what changed at the banks outside provision (the drift), after approval; no write call is made.")
    var refreshOnly = false

    @Option(help: "Output: text, or json (one JSON object per line for each step, then the result; see docs/output.md).")
    var format: ApplyFormat = .text

    func validate() throws {
        guard parallelism >= 1 else { throw ValidationError("--parallelism must be at least 1.") }
    }

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            var options = options
            let key = SavedPlan.signingKey()
            let saved = try planFile.map { try SavedPlan.read(from: $0, key: key) }
            if let saved, let planFile {
                if options.path == "." {
                    options.path = saved.manifestPath
                    options.environment = saved.environment
                }
                // Whoever reads the log sees which manifest the saved plan applies, before anything is contacted.
                Terminal.error("note: applying the saved plan \(planFile) to the manifest \(options.path)"
                    + (options.environment.map { ", environment \($0)" } ?? "")
                    + (key == nil ? " (signature not checked: PROVISION_PLAN_KEY is not set)" : " (signature checked)"))
            }
            if planFile != nil, !scope.isEmpty {
                throw CommandProblem(description: "--plan applies a whole saved plan: leave out --target and --provider.")
            }
            let signals = SignalWatcher.start()
            let workspace = try Workspace.open(options, scope: scope)
            signals.releasesLocalLock(in: workspace.backend.localDirectory)
            var request = ApplyRequest(
                allowDelete: allowDelete, force: force, parallelism: parallelism, waitForPeople: wait.duration,
                saved: saved.flatMap { plan in planFile.map { (plan, $0) } }, approval: approval, lock: lock.policy, stop: signals.stop)
            request.refreshOnly = refreshOnly
            request.invocation = options.invocation
            let view = ApplyProgress(format: format, invocation: options.invocation)
            let result = try await view.showing { try await ApplyOperation(request).run(in: workspace, events: view.handle) }
            view.finish(result)
            if result.exitCode != 0 { throw ExitCode(result.exitCode) }
        }
    }

    /// How a person approves: given with --auto-approve, asked on a terminal, else impossible.
    var approval: Approval {
        if autoApprove { return .given }
        guard isatty(STDIN_FILENO) != 0 else { return .unavailable("standard input is not a terminal") }
        return .ask { _ in
            print("Apply these changes? Only 'yes' is accepted: ", terminator: "")
            fflush(nil)
            return readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
        }
    }
}

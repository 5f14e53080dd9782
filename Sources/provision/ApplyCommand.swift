import ArgumentParser
import Foundation
import PlanModel
import Reconciler

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
    var parallelism = 8

    @Option(help: "How long to wait for a person to finish a step started in a browser (e.g. 5m); the next run resumes it.")
    var wait = DurationArgument(.zero)

    @Option(name: .customLong("plan"), help: "Apply exactly this saved plan (from `plan --out`); refused if it is stale.")
    var planFile: String?

    func validate() throws {
        guard parallelism >= 1 else { throw ValidationError("--parallelism must be at least 1.") }
    }

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display) {
            var options = options
            let saved = try planFile.map(SavedPlan.read(from:))
            if let saved, options.path == "." {
                options.path = saved.manifestPath
                options.environment = saved.environment
            }
            let signals = SignalWatcher.start()
            let locking = LockRequest(operation: "apply", timeout: lock.lockTimeout.duration, signals: signals)
            if planFile != nil, !scope.isEmpty {
                throw CommandProblem(description: "--plan applies a whole saved plan: leave out --target and --provider.")
            }
            let report = try await Workspace.with(options, scope: scope, lock: locking) { workspace in
                try await apply(in: workspace, saved: saved, stop: signals.stop)
            }
            ApplyProgress.printSummary(report)
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
        }
    }

    /// Plans (or checks a saved plan is still current), asks for approval when something will change at a bank, and applies.
    func apply(in workspace: Workspace, saved: SavedPlan?, stop: StopRequest) async throws -> ApplyReport {
        var state = try await workspace.store.load()
        let verdict = try await workspace.plan(allowDelete: saved?.allowDelete ?? allowDelete, force: force, state: state)
        let asking = verdict.needsApproval(reviewed: saved != nil) && !autoApprove
        if !Terminal.style.quiet || asking { Terminal.plan(PlanRenderer.text(verdict.plan) + "\n") }
        try verdict.checkApplicable(saved: saved.flatMap { plan in planFile.map { (plan, $0) } }, manifest: workspace.manifest, state: state)
        if asking { try Self.askForApproval() }
        let journal = try Journal(stateDirectory: workspace.store.localDirectory)
        defer { journal.close() }
        let progress = ApplyProgress(total: verdict.plan.changes.filter(\.action.isChange).count, live: Terminal.style.liveProgress)
        ApplyProgress.running.withLock { $0 = progress }
        let ticker = progress.ticking()
        defer {
            ticker?.cancel()
            progress.clearLine()
            ApplyProgress.running.withLock { $0 = nil }
        }
        let report = try await workspace.applier.apply(
            verdict.plan, manifest: workspace.manifest, state: &state, parallelism: parallelism, waitForPeople: wait.duration, stop: stop
        ) { event in
            journal.record(event)
            progress.handle(event)
        }
        try await workspace.recordApply(report, state: &state)
        return report
    }

    static func askForApproval() throws {
        guard isatty(STDIN_FILENO) != 0 else {
            throw ValidationError("apply needs approval: standard input is not a terminal, so pass --auto-approve.")
        }
        print("Apply these changes? Only 'yes' is accepted: ", terminator: "")
        fflush(nil)
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            print("Apply cancelled; nothing was changed.")
            throw ExitCode.failure
        }
    }
}

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

    func run() async throws {
        try await Terminal.run {
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
        print(PlanRenderer.text(verdict.plan))
        try verdict.checkApplicable(saved: saved.flatMap { plan in planFile.map { (plan, $0) } }, manifest: workspace.manifest, state: state)
        if verdict.needsApproval(reviewed: saved != nil) && !autoApprove { try Self.askForApproval() }
        let journal = try Journal(stateDirectory: workspace.store.localDirectory)
        defer { journal.close() }
        let report = try await workspace.applier.apply(
            verdict.plan, manifest: workspace.manifest, state: &state, parallelism: parallelism, waitForPeople: wait.duration, stop: stop
        ) { event in
            journal.record(event)
            ApplyProgress.print(event)
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

/// Prints apply events as one line per resource step.
enum ApplyProgress {
    @Sendable static func print(_ event: ApplyEvent) {
        switch event {
        case .started(let change):
            Swift.print("\(change.address): \(verb(change.action, done: false))...")
        case .finished(let change, let applied, let seconds):
            var line = "\(change.address): \(verb(change.action, done: true))"
            if let applied { line += " (id \(applied.remoteID)" + (applied.requestID.map { ", request \($0)" } ?? "") + ")" }
            line += String(format: " [%.1fs]", seconds)
            Swift.print(line)
        case .failed(let change, let failure):
            Terminal.error("\(change.address): failed: \(failure)")
        case .skipped(let change, let blocker):
            Terminal.error("\(change.address): skipped because \(blocker) failed")
        case .waiting(let change):
            if change.action == .interactive {
                Swift.print("\(change.address): waits for a person (steps above); run apply again once they are done")
            } else {
                Swift.print("\(change.address): waits for a person (steps above); run `provision confirm \(change.address)` when done")
            }
        case .personStep(let change, let step):
            Swift.print("\(change.address): a person must open \(step.url)" + (step.expiresAt.map { " (before \($0))" } ?? ""))
        }
    }

    static func verb(_ action: Action, done: Bool) -> String {
        switch action {
        case .create: return done ? "created" : "creating"
        case .update: return done ? "updated" : "updating"
        case .replace: return done ? "replaced" : "replacing"
        case .adopt: return done ? "adopted into state" : "adopting"
        case .delete: return done ? "deleted" : "deleting"
        case .interactive: return done ? "done by a person, recorded" : "starting a step for a person"
        case .forget: return done ? "removed from state; remove it at the bank by hand (see the note below)" : "removing from state"
        default: return action.rawValue
        }
    }

    static func printSummary(_ report: ApplyReport) {
        for note in report.notes { Swift.print("note: \(note)") }
        if let signal = report.stoppedBy {
            Swift.print("Stopped by \(signal == SIGINT ? "SIGINT" : "SIGTERM") before these started (run apply again to finish): "
                + (report.notStarted.isEmpty ? "none" : report.notStarted.map(\.description).joined(separator: ", ")))
        }
        var parts = ["\(report.applied.count) applied"]
        if !report.failed.isEmpty { parts.append("\(report.failed.count) failed") }
        if !report.skipped.isEmpty { parts.append("\(report.skipped.count) skipped") }
        if !report.waiting.isEmpty { parts.append("\(report.waiting.count) waiting for a person") }
        if !report.notStarted.isEmpty { parts.append("\(report.notStarted.count) not started") }
        Swift.print("Apply \(report.converged ? "complete" : "incomplete"): " + parts.joined(separator: ", ") + ".")
    }
}

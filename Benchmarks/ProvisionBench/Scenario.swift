import ArgumentParser
import Banks
import Foundation
import PlanModel
import Reconciler
import Sandbox
import ManifestLanguage
import Rendering

/// What a scenario does; each runs in a process of its own, so its peak memory is its own.
enum ScenarioKind: String, ExpressibleByArgument, CaseIterable, Codable {
    /// Plan N accounts that state already tracks.
    case plan
    /// Plan N accounts the bank holds and state does not (each is adopted by name).
    case adopt
    /// Apply N creates, as `provision apply` does: load, lock, plan, apply with the journal.
    case apply
    /// `validate` of N accounts (as every environment sees them, with `--environments`).
    case validate
    /// `validate`, then a plan of N creates.
    case validatePlan = "validate-plan"
    /// A plan of N creates rendered as the Markdown of a pull-request comment.
    case markdown
    /// A hand-written sequential client: one GET per tracked account.
    case scriptPlan = "script-plan"
    /// A hand-written sequential client: one GET per account, one POST per missing one.
    case scriptApply = "script-apply"
    /// Not timed: puts N accounts in the state of another scenario's folder (`--folder`), for `plan`.
    case seedState = "seed-state"
}

/// One run of one scenario against the simulators started in this process on loopback.
struct Scenario {
    var kind: ScenarioKind
    var size: Int
    var latencyMilliseconds: Int
    var parallelism: Int
    var rateLimit: Int?
    var shape = BenchFiles.Shape()
    /// The folder of the scenario a `seed-state` run prepares.
    var folder: URL?
    /// Where the simulators run.
    var simulators = SimulatorPlacement.separate

    var catalog: ProviderCatalog { BankRegistry.all.catalog }

    func run() async throws -> (Measurement, requests: Int, note: String) {
        let files = try BenchFiles(existing: folder)
        defer { if folder == nil { files.remove() } }
        let seeded = [.plan, .adopt, .scriptPlan, .seedState].contains(kind)
        if seeded, kind != .seedState { try files.writeWorld(accounts: size) }
        // Accounts in state are put there by a process of its own, so this one's peak memory is the plan's.
        if kind == .plan { try Self.seed(files, accounts: size) }
        let sandbox = try await SimulatorHost.start(
            kind == .seedState ? .inProcess : simulators, world: seeded ? files.worldFolder.path : nil, latencyMilliseconds: latencyMilliseconds)
        try files.writeManifest(port: sandbox.port, accounts: size, rateLimit: rateLimit, shape: shape)
        let store = StateStore(directory: files.stateFolder)
        if kind == .seedState {
            try await adoptAll(files, store)
            _ = try await sandbox.stop()
            return (Measurement(wall: 0, cpu: 0, peakMB: Measurement.peakMegabytes()), 0, "state seeded")
        }
        // Nothing has called the simulators yet: the requests they count from here are the scenario's.
        let (note, measurement) = try await Measurement.of { () async throws -> String in
            switch kind {
            case .plan, .adopt: return try await plan(files, store)
            case .apply: return try await apply(files, store)
            case .validate: return try validate(files)
            case .validatePlan: return try await validateAndPlan(files, store)
            case .markdown: return try await markdown(files, store)
            case .scriptPlan: return try await SequentialScript(port: sandbox.port).plan(accounts: size)
            case .scriptApply: return try await SequentialScript(port: sandbox.port).apply(accounts: size)
            case .seedState: return ""
            }
        }
        let requests = try await sandbox.stop()
        return (measurement, requests, note)
    }

    /// Runs `provision-bench one seed-state` on `files`' folder and waits for it.
    static func seed(_ files: BenchFiles, accounts: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["one", ScenarioKind.seedState.rawValue, "\(accounts)", "--folder", files.folder.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("seed-state exited \(process.terminationStatus)") }
    }

    /// Puts every account in state through the engine (not timed): a plan that adopts them, then its apply.
    func adoptAll(_ files: BenchFiles, _ store: StateStore) async throws {
        let manifest = try ManifestLoader.load(path: files.manifestPath(shape), catalog: catalog).manifest
        let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil)
        let plan = try await Planner(providers: providers, catalog: catalog).plan(manifest, state: store.load())
        var state = try store.load()
        _ = try await Applier(providers: providers, store: store).apply(plan, manifest: manifest, state: &state)
    }

    /// What `provision plan` does: load, connect, refresh and diff, check the plan's safety, render it.
    func plan(_ files: BenchFiles, _ store: StateStore) async throws -> String {
        let manifest = try ManifestLoader.load(path: files.manifestPath(shape), catalog: catalog).manifest
        let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil)
        let plan = try await Planner(providers: providers, catalog: catalog).plan(manifest, state: store.load())
        _ = PlanSafety.violations(plan, manifest: manifest, catalog: catalog)
        let text = PlanRenderer.text(plan)
        return Self.summary(plan) + ", \(text.utf8.count / 1024) KB of text"
    }

    /// What `provision apply --auto-approve --parallelism P` does: load, lock, plan, apply with the journal.
    func apply(_ files: BenchFiles, _ store: StateStore) async throws -> String {
        let manifest = try ManifestLoader.load(path: files.manifestPath(shape), catalog: catalog).manifest
        let wire = WireRecorder(AsyncHTTPTransport(maxResponseBytes: AsyncHTTPTransport.responseLimit(resources: manifest.resources.count)))
        let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil, wire: wire)
        let report = try await store.withLock(operation: "apply", timeout: .seconds(5)) {
            var state = try store.load()
            let plan = try await Planner(providers: providers, catalog: catalog).plan(manifest, state: state)
            // The applier opens the journal on the store, as every apply does.
            return try await Applier(providers: providers, store: store).apply(plan, manifest: manifest, state: &state, parallelism: parallelism)
        }
        var note = "applied \(report.applied.count), failed \(report.failed.count), max in flight \(wire.maxInFlight)"
        if let rateLimit { note += ", refused at \(rateLimit)/s: \(wire.beyond(rate: rateLimit))" }
        return note
    }

    /// What `provision validate` does: every environment checked (or the manifest as it is, when it declares none).
    func validate(_ files: BenchFiles) throws -> String {
        let manifests = try ManifestLoader.validateAll(path: files.manifestPath(shape), catalog: catalog, credentials: .deferred).manifests
        let resources = manifests.reduce(0) { $0 + $1.resources.count }
        return "\(manifests.count) manifest\(manifests.count == 1 ? "" : "s") valid, \(resources) resources, \(max(shape.files, 1)) file\(shape.files > 1 ? "s" : "")"
    }

    /// What `provision plan --format markdown` does for a plan of creates: the comment's size, and how much the text holds.
    func markdown(_ files: BenchFiles, _ store: StateStore) async throws -> String {
        let manifest = try ManifestLoader.load(path: files.manifestPath(shape), catalog: catalog).manifest
        let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil)
        let plan = try await Planner(providers: providers, catalog: catalog).plan(manifest, state: store.load())
        let comment = PlanRenderer.markdown(plan)
        let rows = comment.split(separator: "\n").count { $0.hasPrefix("| + |") }
        let text = PlanRenderer.text(plan)
        return Self.summary(plan) + "; Markdown \(comment.count) characters (\(comment.utf8.count) bytes), \(rows) rows; text \(text.utf8.count / 1024) KB"
    }

    /// What `provision validate` then `provision plan` do, for a manifest of creates only.
    func validateAndPlan(_ files: BenchFiles, _ store: StateStore) async throws -> String {
        let (_, validation) = try await Measurement.of { try ManifestLoader.validateAll(path: files.manifestPath(shape), catalog: catalog) }
        let (summary, planning) = try await Measurement.of { try await plan(files, store) }
        return String(format: "validate %.2f s, plan %.2f s; ", validation.wall, planning.wall) + summary
    }

    static func summary(_ plan: Plan) -> String {
        let counts = plan.changes.reduce(into: [String: Int]()) { $0[$1.action.rawValue, default: 0] += 1 }
        return counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
    }
}

import ArgumentParser
import Banks
import Foundation
import PlanModel
import Reconciler

/// A loaded manifest and where its state lives; with `connect`, the manifest's providers too.
struct Workspace {
    let loaded: LoadedManifest
    let store: any StateBackend
    let providers: [String: any Provider]

    var manifest: Manifest { loaded.manifest }
    var planner: Planner { Planner(providers: providers, catalog: BankRegistry.all.catalog) }
    var applier: Applier { Applier(providers: providers, store: store) }
    var importer: Importer { Importer(providers: providers, catalog: BankRegistry.all.catalog, store: store) }

    /// Loads the manifest (narrowed to `scope` when given) and finds its state folder; no provider is connected yet.
    static func load(_ options: ManifestOptions, scope: ScopeOptions? = nil) throws -> (LoadedManifest, any StateBackend) {
        var loaded = try ManifestLoader.load(path: options.path, environment: options.environment, catalog: BankRegistry.all.catalog)
        if let scope, !scope.isEmpty {
            let targets = try scope.targets.map { text in
                guard let address = ResourceAddress(parsing: text) else {
                    throw CommandProblem(description: "--target \(text) is not an address: write INSTANCE.KIND.NAME, or INSTANCE.KIND for a singleton.")
                }
                return address
            }
            loaded.manifest = try loaded.manifest.scoped(targets: targets, providers: scope.providers)
        }
        return (loaded, try options.backend(for: loaded))
    }

    /// Refreshes and diffs; writes the plan to `savePath` when given.
    func plan(allowDelete: Bool, force: Bool, state given: State? = nil, savePath: String? = nil) async throws -> PlanVerdict {
        let state: State
        if let given { state = given } else { state = try await store.load() }
        let plan = try await planner.plan(manifest, state: state, allowDelete: allowDelete)
        if let savePath {
            try SavedPlan(plan: plan, manifest: manifest, state: state, manifestPath: loaded.path, allowDelete: allowDelete).write(to: savePath)
        }
        let violations = PlanSafety.violations(plan, manifest: manifest, catalog: BankRegistry.all.catalog)
        let journey = try journey(state: state)
        return PlanVerdict(plan: journey.map { plan.noting($0) } ?? plan, violations: violations, forced: force, journey: journey)
    }

    /// Loads the workspace, connects its providers (through a sandbox session for `endpoint: sandbox`), runs `body`.
    /// With `lock`, the state lock is taken first, before anything reads state or the sandbox's world; a lock taken
    /// over from a holder that died is noted on standard error.
    static func with<T>(
        _ options: ManifestOptions, scope: ScopeOptions? = nil, lock: LockRequest? = nil, _ body: (Workspace) async throws -> T
    ) async throws -> T {
        let (loaded, store) = try load(options, scope: scope)
        guard let lock else { return try await connected(loaded, store, body) }
        lock.signals?.releasesLocalLock(in: store.localDirectory)
        return try await store.withLock(operation: lock.operation, timeout: lock.timeout, notice: Terminal.notice) {
            try await connected(loaded, store, body)
        }
    }

    /// Runs `body` with the manifest's providers connected, the sandbox running while it needs one.
    static func connected<T>(_ loaded: LoadedManifest, _ store: any StateBackend, _ body: (Workspace) async throws -> T) async throws -> T {
        try await SandboxSession.with(for: loaded.manifest, dataDirectory: store.localDirectory.appendingPathComponent("sandbox")) { sandbox in
            let providers = try BankRegistry.all.connect(loaded.manifest, sandboxBaseURL: sandbox, keptSecrets: store.keptSecrets)
            return try await body(Workspace(loaded: loaded, store: store, providers: providers))
        }
    }
}

/// The state lock a command takes for its whole run.
struct LockRequest {
    var operation: String
    var timeout: Duration
    /// Releases the lock when a second signal stops the process at once.
    var signals: SignalWatcher?
}

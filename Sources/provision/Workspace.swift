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

    /// Loads the manifest and finds its state backend; nothing is connected yet.
    static func load(_ options: ManifestOptions) throws -> (LoadedManifest, any StateBackend) {
        let loaded = try ManifestLoader.load(path: options.path, environment: options.environment, catalog: BankRegistry.all.catalog)
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
        return PlanVerdict(plan: plan, violations: violations, forced: force)
    }

    /// Runs `body` holding the state lock; a lock taken over from a holder that died is noted on standard error.
    func locked<T>(_ operation: String, timeout: Duration, _ body: () async throws -> T) async throws -> T {
        try await store.withLock(operation: operation, timeout: timeout, notice: Terminal.notice, body)
    }

    /// Loads the workspace, connects its providers (through a sandbox session for `endpoint: sandbox`), runs `body`.
    static func with<T>(_ options: ManifestOptions, _ body: (Workspace) async throws -> T) async throws -> T {
        let (loaded, store) = try load(options)
        return try await SandboxSession.with(for: loaded.manifest, dataDirectory: store.localDirectory.appendingPathComponent("sandbox")) { sandbox in
            let providers = try BankRegistry.all.connect(loaded.manifest, sandboxBaseURL: sandbox)
            return try await body(Workspace(loaded: loaded, store: store, providers: providers))
        }
    }
}

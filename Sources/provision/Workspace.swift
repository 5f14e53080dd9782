import ArgumentParser
import Banks
import Foundation
import PlanModel
import Reconciler
import Sandbox

/// A loaded manifest with its state store, its providers and, for `endpoint: sandbox`, a running simulator.
struct Workspace {
    let loaded: LoadedManifest
    let store: StateStore
    let providers: [String: any Provider]

    var manifest: Manifest { loaded.manifest }
    var planner: Planner { Planner(providers: providers, catalog: BankRegistry.all.catalog) }
    var applier: Applier { Applier(providers: providers, store: store) }

    static func stateDirectory(_ options: ManifestOptions, _ loaded: LoadedManifest) -> URL {
        options.state.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? loaded.defaultStateDirectory
    }

    /// Refreshes and diffs; writes the plan to `savePath` when given. Safety violations are returned, not thrown.
    func plan(allowDelete: Bool, state: State? = nil, savePath: String? = nil) async throws -> (plan: Plan, violations: [PlanSafety.Violation]) {
        let state = try state ?? store.load()
        let plan = try await planner.plan(manifest, state: state, allowDelete: allowDelete)
        if let savePath {
            try SavedPlan(plan: plan, manifest: manifest, state: state, manifestPath: loaded.path, allowDelete: allowDelete).write(to: savePath)
        }
        return (plan, PlanSafety.violations(plan, manifest: manifest, catalog: BankRegistry.all.catalog))
    }

    /// Runs `body` holding the state lock.
    func locked<T>(_ operation: String, timeout: Duration, _ body: () async throws -> T) async throws -> T {
        try await StateLock.withLock(in: store.directory, operation: operation, timeout: timeout, body)
    }

    /// Opens the workspace, runs `body`, and stops the sandbox (if one was started) whatever happens.
    static func with<T>(_ options: ManifestOptions, _ body: (Workspace) async throws -> T) async throws -> T {
        let loaded = try ManifestLoader.load(path: options.path, environment: options.environment, catalog: BankRegistry.all.catalog)
        let stateDirectory = stateDirectory(options, loaded)
        var sandbox: RunningSandbox?
        if loaded.manifest.providers.contains(where: { $0.endpoint == .sandbox }) {
            sandbox = try await SandboxServer.start(SandboxConfiguration(
                dataDirectory: stateDirectory.appendingPathComponent("sandbox").path))
        }
        do {
            let providers = try BankRegistry.all.connect(loaded.manifest, sandboxBaseURL: sandbox.map { "http://127.0.0.1:\($0.port)" })
            let workspace = Workspace(loaded: loaded, store: StateStore(directory: stateDirectory), providers: providers)
            let result = try await body(workspace)
            await sandbox?.stop()
            return result
        } catch {
            await sandbox?.stop()
            throw error
        }
    }
}

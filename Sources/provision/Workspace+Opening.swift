import Banks
import Foundation
import ManifestLanguage
import PlanModel
import PostgresState
import Reconciler

extension Workspace {
    /// Loads the manifest (narrowed to `scope` when given), finds its state backend, and wires the banks and the
    /// embedded sandbox: everything an operation needs, nothing contacted yet.
    static func open(_ options: ManifestOptions, scope: ScopeOptions? = nil) throws -> Workspace {
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
        let locator = BackendLocator(explicit: options.state)
        return Workspace(
            loaded: loaded, backend: try locator.backend(for: loaded), catalog: BankRegistry.all.catalog,
            connector: BankConnector(sandboxData: loaded.defaultStateDirectory.appendingPathComponent("sandbox")), locator: locator)
    }
}

/// Connects a manifest's providers to the banks this build knows, through the embedded sandbox for `endpoint: sandbox`.
///
/// The sandbox is the simulated bank, not state: its world stays in `sandboxData` (beside the manifest, per
/// environment) wherever `--state` or `backend:` puts the state, so a state moved elsewhere still finds its bank.
struct BankConnector: ProviderConnecting {
    /// The embedded sandbox's data folder: `.provision/sandbox/`, or `.provision/environments/NAME/sandbox/`.
    var sandboxData: URL

    func withProviders<T>(
        for manifest: Manifest, backend: any StateBackend, _ body: ([String: any Provider]) async throws -> T
    ) async throws -> T {
        try await SandboxSession.with(for: manifest, dataDirectory: sandboxData) { sandbox in
            let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: sandbox, keptSecrets: backend.keptSecrets)
            return try await body(providers)
        }
    }
}

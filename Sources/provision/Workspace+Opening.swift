import Banks
import Foundation
import ManifestLanguage
import PlanModel
import PostgresState
import Reconciler

extension Workspace {
    /// Loads the manifest (narrowed to `scope` when given), finds its state backend, and wires the banks and the
    /// embedded sandbox: everything an operation needs, nothing contacted yet. What the load noticed (a secret written
    /// as plain text, a deferred variable) goes to standard error.
    ///
    /// `credentials: .deferred` is the offline opening, the one entry point of every command that contacts no bank
    /// (`validate`, `graph`, `confirm gate.NAME`): an unset variable is a note and its value is left out, and the
    /// workspace refuses to connect a bank or record a resource's values while any value is deferred.
    static func open(
        _ options: ManifestOptions, scope: ScopeOptions? = nil, credentials: CredentialResolution = .required
    ) throws -> Workspace {
        var loaded = try ManifestLoader.load(
            path: options.path, environment: options.environment, catalog: BankRegistry.all.catalog, credentials: credentials)
        Terminal.notices(loaded.manifest.notices)
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
            connector: BankConnector(sandboxData: loaded.defaultStateDirectory.appendingPathComponent("sandbox")),
            locator: locator, credentials: credentials)
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
        try manifest.requireResolved()
        return try await SandboxSession.with(for: manifest, dataDirectory: sandboxData) { sandbox in
            let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: sandbox, keptSecrets: backend.keptSecrets)
            return try await body(providers)
        }
    }
}

import Banks
import Foundation
import ManifestLanguage
import PlanModel
import Reconciler

/// Hands the engine's operations the providers a test connected to its own sandbox.
struct FixedProviders: ProviderConnecting {
    let providers: [String: any Provider]

    func withProviders<T>(
        for manifest: Manifest, backend: any StateBackend, _ body: ([String: any Provider]) async throws -> T
    ) async throws -> T {
        try await body(providers)
    }
}

/// Every environment's state in the test's one store (the tests that use it declare no promotion).
struct OneStore: StateLocating {
    let store: any StateBackend

    func storage(for loaded: LoadedManifest) throws -> any StateStorage { store }
}

extension Workspace {
    /// A workspace over a manifest parsed in the test, with providers the test connected and a state folder of its own.
    static func testing(_ manifest: Manifest, providers: [String: any Provider], store: StateStore) -> Workspace {
        testing(LoadedManifest(manifest: manifest, path: "bank.yaml", directory: store.directory), providers: providers, store: store)
    }

    /// As `testing(_:providers:store:)`, for a manifest loaded from files (import reads them again).
    static func testing(_ loaded: LoadedManifest, providers: [String: any Provider], store: StateStore) -> Workspace {
        Workspace(
            loaded: loaded, backend: store, catalog: BankRegistry.all.catalog, connector: FixedProviders(providers: providers),
            locator: OneStore(store: store))
    }
}

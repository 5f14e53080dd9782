import Foundation
import ManifestLanguage
import PlanModel

/// Connects a manifest's providers for as long as an operation needs them: the role the composition root plays
/// (it knows the banks and starts the embedded sandbox for `endpoint: sandbox`).
public protocol ProviderConnecting: Sendable {
    /// Runs `body` with one provider per instance of `manifest`; whatever `body` started is stopped afterwards.
    func withProviders<T>(
        for manifest: Manifest, backend: any StateBackend, _ body: ([String: any Provider]) async throws -> T
    ) async throws -> T
}

/// Finds the state of another environment of the same manifest, for promotion: the role the composition root plays
/// (it knows which backend the manifest's state is in).
public protocol StateLocating: Sendable {
    /// The state storage of `loaded`, the manifest as another environment sees it.
    func storage(for loaded: LoadedManifest) throws -> any StateStorage
}

/// How an operation waits for the state lock, and where it says it took over one left by a holder that died.
public struct LockPolicy: Sendable {
    public var timeout: Duration
    public var notice: @Sendable (String) -> Void

    public init(timeout: Duration = .zero, notice: @escaping @Sendable (String) -> Void = { _ in }) {
        self.timeout = timeout
        self.notice = notice
    }
}

/// What every operation works on: a loaded manifest, its state backend (with its roles), the catalog of banks,
/// and how to reach the banks and other environments' state.
///
/// Opened with `credentials: .required` for operations that contact a bank, or `.deferred` (the offline opening) for
/// those that only read the manifest and the state: a workspace whose manifest deferred a value never connects a
/// bank (`connected` refuses it) and never records a resource's values in state.
public struct Workspace: Sendable {
    public let loaded: LoadedManifest
    public let backend: any StateBackend
    public let catalog: ProviderCatalog
    public let connector: any ProviderConnecting
    public let locator: any StateLocating
    /// How the manifest was loaded: whether every variable it uses had to be set.
    public let credentials: CredentialResolution

    public init(
        loaded: LoadedManifest, backend: any StateBackend, catalog: ProviderCatalog, connector: any ProviderConnecting,
        locator: any StateLocating, credentials: CredentialResolution = .required
    ) {
        self.loaded = loaded
        self.backend = backend
        self.catalog = catalog
        self.connector = connector
        self.locator = locator
        self.credentials = credentials
    }

    public var manifest: Manifest { loaded.manifest }

    /// Runs `body` holding the state lock for `operation`.
    func locked<T>(_ operation: String, _ lock: LockPolicy, _ body: () async throws -> T) async throws -> T {
        try await backend.withLock(operation: operation, timeout: lock.timeout, notice: lock.notice, body)
    }

    /// Runs `body` with the journal of a new run of `operation` open, before anything reaches a bank or the state;
    /// a journal that cannot be opened stops the operation here.
    func journaled<T>(_ operation: String, _ body: (Journal) async throws -> T) async throws -> T {
        let journal = try await Journal.open(backend, operation: operation)
        do {
            let result = try await body(journal)
            await journal.close()
            return result
        } catch {
            await journal.close()
            throw error
        }
    }

    /// Runs `body` with the manifest's providers connected; refused, naming every unset variable, when the manifest
    /// deferred a value (an offline opening).
    func connected<T>(_ body: ([String: any Provider]) async throws -> T) async throws -> T {
        try manifest.requireResolved()
        return try await connector.withProviders(for: manifest, backend: backend, body)
    }

    /// Runs `body` with only the providers `names` connected (the manifest narrowed to them); refused when a value
    /// they need was deferred.
    func connected<T>(providers names: [String], _ body: ([String: any Provider]) async throws -> T) async throws -> T {
        let narrowed = try manifest.scoped(targets: [], providers: names)
        try narrowed.requireResolved()
        return try await connector.withProviders(for: narrowed, backend: backend, body)
    }

    /// Refreshes and diffs against `state`, and judges the plan: safety, the environment's journey.
    /// The commands the plan prints are written for `invocation`.
    func verdict(
        providers: [String: any Provider], state: State, allowDelete: Bool, force: Bool, invocation: Invocation,
        onRefresh: @escaping @Sendable (RefreshEvent) -> Void = { _ in }
    ) async throws -> PlanVerdict {
        let planner = Planner(providers: providers, catalog: catalog, invocation: invocation, onRefresh: onRefresh)
        let fingerprinter = SecretFingerprinter(manifest: manifest, lineage: state.lineage)
        let plan = try await planner.plan(manifest, state: state, allowDelete: allowDelete).fingerprintingSecrets { fingerprinter.fingerprint($1, of: $0) }
        let violations = PlanSafety.violations(plan, manifest: manifest, catalog: catalog)
        let journey = try await journey(state: state, invocation: invocation)
        return PlanVerdict(plan: journey.map { plan.noting($0) } ?? plan, violations: violations, forced: force, journey: journey)
    }

    /// The chosen environment's journey: its gates (confirmed in its state) and, with `promotes_from:`, the upstream
    /// environment's manifest and its state, wherever the backend keeps it. Nil when the environment declares neither.
    /// Its confirm commands are written for `invocation`.
    func journey(state: State, invocation: Invocation) async throws -> JourneyCheck? {
        guard manifest.environment != nil, !manifest.gates.isEmpty || manifest.promotesFrom != nil else { return nil }
        var upstream: (manifest: Manifest, state: State)?
        if let environment = manifest.promotesFrom {
            let other = try ManifestLoader.load(path: loaded.path, environment: environment, catalog: catalog)
            upstream = (other.manifest, try await locator.storage(for: other).load())
        }
        return JourneyCheck(manifest: manifest, state: state, upstream: upstream, invocation: invocation)
    }

    /// Keeps what an apply in an environment did, for the environments that promote from it.
    func recordApply(_ report: ApplyReport, state: inout State) async throws {
        guard manifest.environment != nil else { return }
        state.lastApply = ApplyRecord(report: report, manifest: manifest, at: Date())
        try await backend.save(&state)
    }

    /// The resource at `address` in the manifest, or an error naming the nearest one. Refused when the manifest
    /// deferred a value: what is done with a resource's values needs them all.
    func resource(at address: String) throws -> Resource {
        try manifest.requireResolved()
        guard let resource = manifest.resources.first(where: { $0.address.description == address }) else {
            throw ReconcilerError.unknownAddress(address: address, known: manifest.resources.map(\.address.description))
        }
        return resource
    }
}

extension Plan {
    /// The plan with the journey's lines as notes of the environment (key `(journey)`, never a provider's name).
    func noting(_ journey: JourneyCheck) -> Plan {
        marking({ $0 }, notes: notes.merging(["(journey)": journey.notes]) { $1 })
    }
}

import PlanModel

/// What `runbook` asks for.
public struct RunbookRequest: Sendable {
    /// Contact no bank: every status comes from state and the manifest, marked unverified.
    public var offline: Bool
    /// How the person ran provision: every record command is written for it.
    public var invocation: Invocation

    public init(offline: Bool = false, invocation: Invocation = Invocation()) {
        self.offline = offline
        self.invocation = invocation
    }
}

/// Lists every step a person must take for the workspace's environment, across providers, with its status: the
/// gates from state, the rest from a plan of each provider (which calls no write API and changes no state). A provider
/// that cannot be read, or every provider with `offline`, is reported from state and the manifest, marked unverified;
/// the runbook is made all the same. Takes no lock and writes no journal.
public struct RunbookOperation: Sendable {
    public let request: RunbookRequest

    public init(_ request: RunbookRequest) {
        self.request = request
    }

    /// Why statuses are unverified when `offline` was asked for.
    public static let offlineReason = "offline: read from state and the manifest, no bank contacted"

    /// Why a provider's statuses are unverified when a variable it needs is not set (the runbook needs no credentials).
    static func unsetReason(_ provider: String, _ manifest: Manifest) -> String {
        let variables = Set(manifest.deferred.filter { $0.belongs(toProvider: provider) }.map(\.reference)).sorted()
        return "not contacted: \(variables.joined(separator: ", ")) \(variables.count == 1 ? "is" : "are") not set; read from state and the manifest"
    }

    public func run(in workspace: Workspace) async throws -> Runbook {
        let manifest = workspace.manifest
        let state = try await workspace.backend.load()
        let reachable = request.offline ? [] : manifest.resolvedProviders.filter { !manifest.resources(of: $0).isEmpty }
        var planned: [String: Result<[Change], any Error>] = [:]
        if !reachable.isEmpty {
            do {
                planned = try await workspace.connected(providers: reachable) { providers in
                    await plans(manifest, names: reachable, state: state, providers: providers, catalog: workspace.catalog)
                }
            } catch {
                planned = Dictionary(uniqueKeysWithValues: reachable.map { ($0, .failure(error)) })
            }
        }
        var changes: [Change] = []
        var unverified: [UnverifiedProvider] = []
        for config in manifest.providers where !manifest.resources(of: config.name).isEmpty {
            switch planned[config.name] {
            case .success(let found)?:
                changes += found
            case .failure(let error)?:
                unverified.append(UnverifiedProvider(provider: config.name, reason: "could not be read: \(error)"))
                changes += recorded(manifest.resources(of: config.name), state: state, catalog: workspace.catalog)
            case nil:
                unverified.append(UnverifiedProvider(provider: config.name, reason: request.offline ? Self.offlineReason : Self.unsetReason(config.name, manifest)))
                changes += recorded(manifest.resources(of: config.name), state: state, catalog: workspace.catalog)
            }
        }
        return RunbookBuilder(
            manifest: manifest, changes: Waits.marking(Plan.init(changes: changes, providers: [:]).changes, catalog: workspace.catalog, providers: types(manifest)),
            catalog: workspace.catalog, invocation: request.invocation, confirmedGates: state.gates,
            confirmations: Self.confirmations(manifest, state: state), unverified: unverified
        ).runbook()
    }

    /// Each provider planned on its own, all at once, so that one bank that cannot be read leaves the others' plans.
    func plans(
        _ manifest: Manifest, names: [String], state: State, providers: [String: any Provider], catalog: ProviderCatalog
    ) async -> [String: Result<[Change], any Error>] {
        await withTaskGroup(of: (String, Result<[Change], any Error>).self) { group in
            for config in manifest.providers where names.contains(config.name) {
                group.addTask { [invocation = request.invocation] in
                    do {
                        let scoped = try manifest.scoped(targets: [], providers: [config.name])
                        let planner = Planner(providers: providers.filter { $0.key == config.name }, catalog: catalog, invocation: invocation)
                        return (config.name, .success(try await planner.plan(scoped, state: state).changes))
                    } catch {
                        return (config.name, .failure(error))
                    }
                }
            }
            var plans: [String: Result<[Change], any Error>] = [:]
            for await (name, result) in group { plans[name] = result }
            return plans
        }
    }

    /// What state records of `resources`, as changes: a manual step confirmed for its current definition, and anything
    /// state tracks by an id, is done; the rest is still to do. Nothing is seen at a bank.
    func recorded(_ resources: [Resource], state: State, catalog: ProviderCatalog) -> [Change] {
        resources.map { resource in
            let entry = state[resource.address]
            let done = resource.capability == .manual ? entry?.confirmed == DefinitionDigest.of(resource) : entry?.remoteID != nil
            let action: Action = switch (resource.capability, done) {
            case (.observed, true): .check
            case (.observed, false): .missing
            case (.manual, false): .manual
            case (.interactive, false): .interactive
            case (.managed, false): .create
            default: .noop
            }
            var change = Change(address: resource.address, action: action, remoteID: entry?.remoteID, dependencies: resource.dependencies)
            change.steps = catalog.kind(resource.address.kind, of: resource.providerType)?.steps(for: resource, invocation: request.invocation) ?? []
            return change
        }
    }

    /// The confirmations in state of manual steps that cover each resource's current definition.
    static func confirmations(_ manifest: Manifest, state: State) -> [ResourceAddress: Confirmation] {
        var found: [ResourceAddress: Confirmation] = [:]
        for resource in manifest.resources where resource.capability == .manual {
            guard let entry = state[resource.address], let confirmation = entry.confirmation,
                  entry.confirmed == DefinitionDigest.of(resource) else { continue }
            found[resource.address] = confirmation
        }
        return found
    }

    func types(_ manifest: Manifest) -> [String: String] {
        Dictionary(manifest.providers.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
    }
}

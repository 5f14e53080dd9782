import PlanModel

/// Refreshes live state from every provider and diffs it against the manifest.
public struct Planner: Sendable {
    public let providers: [String: any Provider]
    public let catalog: ProviderCatalog

    public init(providers: [String: any Provider], catalog: ProviderCatalog) {
        self.providers = providers
        self.catalog = catalog
    }

    /// - Parameter allowDelete: resources in state that left the manifest are deleted (unless protected).
    public func plan(_ manifest: Manifest, state: State, allowDelete: Bool = false) async throws -> Plan {
        var live = try await refresh(manifest, state: state)
        for resource in manifest.resources where resource.capability == .manual {
            let confirmed = state[resource.address]?.confirmed == DefinitionDigest.of(resource)
            if case .probed(var result) = live[resource.address] {
                result.confirmed = confirmed
                live[resource.address] = .probed(result)
            } else if live[resource.address] == nil {
                live[resource.address] = confirmed ? .confirmed : .unconfirmed
            }
        }
        var tracked: [ResourceAddress: String] = [:]
        var recorded: [ResourceAddress: [String: Value]] = [:]
        var orphans: [Orphan] = []
        let desired = Set(manifest.resources.map(\.address))
        for (address, entry) in state.resources where manifest.inScope(address) {
            guard let id = entry.remoteID else { continue }
            tracked[address] = id
            recorded[address] = entry.attributes
            if !desired.contains(address) {
                orphans.append(Orphan(
                    address: address, providerType: manifest.provider(named: address.instance)?.type ?? "", remoteID: id,
                    attributes: entry.attributes, protected: entry.protected))
            }
        }
        let observed = Observed(live: live, tracked: tracked, orphans: orphans, recorded: recorded)
        let differ = Differ(catalog: catalog)
        return Plan(
            changes: differ.changes(desired: manifest.resources, observed: observed, allowDelete: allowDelete),
            providers: Dictionary(uniqueKeysWithValues: manifest.providers.map { ($0.name, $0.type) }),
            drift: differ.drift(observed: observed), environment: manifest.environment, notes: notes(manifest))
    }

    /// Each provider's notes on how it reads the manifest's resources.
    func notes(_ manifest: Manifest) -> [String: [String]] {
        var notes: [String: [String]] = [:]
        for config in manifest.providers {
            notes[config.name] = providers[config.name]?.notes(for: manifest.resources(of: config.name))
        }
        return notes
    }

    /// One refresh per provider, all providers at once.
    func refresh(_ manifest: Manifest, state: State) async throws -> [ResourceAddress: Observation] {
        var work: [(provider: any Provider, resources: [Resource], entries: [ResourceAddress: StateEntry])] = []
        for config in manifest.providers {
            // Manual resources too: a kind whose handler probes them verifies them during refresh.
            let resources = manifest.resources(of: config.name)
            guard !resources.isEmpty else { continue }
            guard let provider = providers[config.name] else { throw ReconcilerError.noProvider(instance: config.name) }
            work.append((provider, resources, state.entries(of: config.name)))
        }
        return try await withThrowingTaskGroup(of: [ResourceAddress: Observation].self) { group in
            for item in work {
                group.addTask { try await item.provider.refresh(item.resources, state: item.entries) }
            }
            var live: [ResourceAddress: Observation] = [:]
            for try await part in group {
                if live.isEmpty { live = part } else { live.merge(part) { first, _ in first } }
            }
            return live
        }
    }
}

import PlanModel

/// Refreshes live state from every provider and diffs it against the manifest.
public struct Planner: Sendable {
    public let providers: [String: any Provider]

    public init(providers: [String: any Provider]) {
        self.providers = providers
    }

    /// - Parameter allowDelete: resources in state that left the manifest are deleted (unless protected).
    public func plan(_ manifest: Manifest, state: State, allowDelete: Bool = false) async throws -> Plan {
        var live = try await refresh(manifest, state: state)
        for resource in manifest.resources where resource.capability == .manual && live[resource.address] == nil {
            let confirmed = state[resource.address]?.confirmed == StateStore.digest(of: resource)
            live[resource.address] = confirmed ? .confirmed : .unconfirmed
        }
        var tracked: [ResourceAddress: String] = [:]
        var orphans: [Orphan] = []
        let desired = Set(manifest.resources.map(\.address))
        for (key, entry) in state.resources {
            guard let address = ResourceAddress(parsing: key), let id = entry.remoteID else { continue }
            tracked[address] = id
            if !desired.contains(address) {
                orphans.append(Orphan(
                    address: address, providerType: manifest.provider(named: address.instance)?.type ?? "", remoteID: id,
                    attributes: entry.attributes, protected: entry.protected))
            }
        }
        let changes = Differ.changes(
            desired: manifest.resources, observed: Observed(live: live, tracked: tracked, orphans: orphans), allowDelete: allowDelete)
        return Plan(changes: changes, providers: Dictionary(uniqueKeysWithValues: manifest.providers.map { ($0.name, $0.type) }))
    }

    /// One refresh per provider, all providers at once.
    func refresh(_ manifest: Manifest, state: State) async throws -> [ResourceAddress: Observation] {
        try await withThrowingTaskGroup(of: [ResourceAddress: Observation].self) { group in
            for config in manifest.providers {
                let resources = manifest.resources(of: config.name).filter { $0.capability == .managed || $0.capability == .observed }
                guard !resources.isEmpty else { continue }
                guard let provider = providers[config.name] else { throw ReconcilerError.noProvider(instance: config.name) }
                let entries = state.entries(of: config.name)
                group.addTask { try await provider.refresh(resources, state: entries) }
            }
            var live: [ResourceAddress: Observation] = [:]
            for try await part in group {
                live.merge(part) { first, _ in first }
            }
            return live
        }
    }
}

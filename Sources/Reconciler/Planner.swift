import PlanModel

/// What a plan tells while it refreshes: a provider's refresh started, or ended.
public enum RefreshEvent: Sendable {
    case started(provider: String)
    case finished(provider: String)
}

/// Refreshes live state from every provider and diffs it against the manifest.
public struct Planner: Sendable {
    public let providers: [String: any Provider]
    public let catalog: ProviderCatalog
    /// Hears each provider's refresh start and end, for a progress line.
    public let onRefresh: @Sendable (RefreshEvent) -> Void
    /// How the person ran provision: the commands the plan's person steps print are written for it.
    public let invocation: Invocation

    public init(
        providers: [String: any Provider], catalog: ProviderCatalog, invocation: Invocation = Invocation(),
        onRefresh: @escaping @Sendable (RefreshEvent) -> Void = { _ in }
    ) {
        self.providers = providers
        self.catalog = catalog
        self.invocation = invocation
        self.onRefresh = onRefresh
    }

    /// - Parameter allowDelete: resources in state that left the manifest are deleted (unless protected).
    ///
    /// The manifest's `moved:` entries are followed first: a moved resource is refreshed and compared at its new
    /// address, and its change says where it moved from (apply moves its state entry, calling no bank).
    public func plan(_ manifest: Manifest, state given: State, allowDelete: Bool = false) async throws -> Plan {
        let (state, movedFrom) = given.following(manifest.moves)
        var (live, listNotes) = try await refresh(manifest, state: state)
        for resource in manifest.resources where resource.capability == .manual {
            let confirmed = state[resource.address]?.confirmed == DefinitionDigest.of(resource)
            if case .probed(var result) = live[resource.address] {
                result.confirmed = confirmed
                live[resource.address] = .probed(result)
            } else if live[resource.address] == nil {
                live[resource.address] = confirmed ? .confirmed : .unconfirmed
            }
        }
        let observed = Self.observed(consume live, manifest: manifest, state: state)
        let differ = Differ(catalog: catalog, invocation: invocation)
        var changes = differ.changes(desired: manifest.resources, observed: observed, allowDelete: allowDelete)
        for index in changes.indices {
            guard let from = movedFrom[changes[index].address] else { continue }
            changes[index].movedFrom = from
            changes[index].reasons.insert(.moved(from: from), at: 0)
        }
        let providerTypes = Dictionary(uniqueKeysWithValues: manifest.providers.map { ($0.name, $0.type) })
        let drift = differ.drift(observed: observed)
        let plan = Plan(
            changes: consume changes, providers: providerTypes, drift: drift, environment: manifest.environment,
            notes: notes(manifest).merging(listNotes) { $0 + $1 }.filter { !$0.value.isEmpty })
        // Plan order puts dependencies first, which marking waits needs.
        return plan.marking { Waits.marking($0, catalog: catalog, providers: providerTypes) }
    }

    /// The observations with what state tracks in scope, and the orphans: what state tracks that the manifest left.
    static func observed(_ live: [ResourceAddress: Observation], manifest: Manifest, state: State) -> Observed {
        var tracking: [ResourceAddress: Observed.Tracked] = [:]
        var orphans: [Orphan] = []
        let desired = Set(manifest.resources.map(\.address))
        for (address, entry) in state.resources where manifest.inScope(address) {
            guard let id = entry.remoteID else { continue }
            tracking[address] = Observed.Tracked(remoteID: id, recorded: entry.attributes)
            if !desired.contains(address) {
                orphans.append(Orphan(
                    address: address, providerType: manifest.provider(named: address.instance)?.type ?? "", remoteID: id,
                    attributes: entry.attributes, protected: entry.protected))
            }
        }
        return Observed(live: live, tracking: tracking, orphans: orphans)
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
    /// Observations of every resource, and each provider's notes on its lists.
    func refresh(_ manifest: Manifest, state: State) async throws -> ([ResourceAddress: Observation], [String: [String]]) {
        var work: [(provider: any Provider, resources: [Resource], entries: [ResourceAddress: StateEntry])] = []
        for config in manifest.providers {
            // Manual resources too: a kind whose handler probes them verifies them during refresh.
            let resources = manifest.resources(of: config.name)
            guard !resources.isEmpty else { continue }
            guard let provider = providers[config.name] else { throw ReconcilerError.noProvider(instance: config.name) }
            work.append((provider, resources, state.entries(of: config.name)))
        }
        return try await withThrowingTaskGroup(of: (String, Refresh).self) { group in
            for item in work {
                group.addTask { [onRefresh] in
                    onRefresh(.started(provider: item.provider.name))
                    let refresh = try await item.provider.refreshing(item.resources, state: item.entries)
                    onRefresh(.finished(provider: item.provider.name))
                    return (item.provider.name, refresh)
                }
            }
            var live: [ResourceAddress: Observation] = [:]
            var notes: [String: [String]] = [:]
            for try await (name, part) in group {
                if live.isEmpty { live = part.observations } else { live.merge(part.observations) { first, _ in first } }
                if !part.notes.isEmpty { notes[name, default: []] += part.notes }
            }
            return (live, notes)
        }
    }
}

import PlanModel

/// A bank's adapter, built from its kind handlers.
///
/// What is the same for every bank is here once: refresh in dependency order, matching live objects to
/// desired ones by id or natural key, the "already claimed" check, reading references back as names,
/// replace as create-then-delete (or create-then-forget when the bank cannot delete), and person steps.
public struct BankProvider: Provider, Inventorying {
    public let name: String
    public let schema: ProviderTypeSchema
    let handlers: [String: any KindHandler]
    /// What the bank's settings mean for how it is read, e.g. answers accepted unverified.
    let settingNotes: [String]
    /// What the bank checks before anything is written: its client and the kind handlers that adopt `Checking`.
    let checks: [any Checking]
    /// The bank's clock as its latest answer showed it.
    public let serverClock: ServerClock

    public init(
        name: String, schema: ProviderTypeSchema, handlers: [String: any KindHandler], notes: [String] = [], checks: [any Checking] = [],
        serverClock: ServerClock = ServerClock()
    ) {
        self.name = name
        self.schema = schema
        self.handlers = handlers
        self.settingNotes = notes
        self.checks = checks
        self.serverClock = serverClock
    }

    var bank: String { schema.displayName }

    public func refresh(_ resources: [Resource], state: [ResourceAddress: StateEntry]) async throws -> [ResourceAddress: Observation] {
        try await refreshing(resources, state: state).observations
    }

    public func refreshing(_ resources: [Resource], state: [ResourceAddress: StateEntry]) async throws -> Refresh {
        let ahead = ListsAhead(prefetching(resources))
        defer { ahead.cancel() }
        return try await withTaskCancellationHandler {
            try await refresh(resources, state: state, ahead: ahead)
        } onCancel: {
            ahead.cancel()
        }
    }

    /// The handlers of the listed kinds among `resources` that can send their list calls ahead.
    func prefetching(_ resources: [Resource]) -> [String: any Prefetching] {
        let kinds = Set(resources.map(\.address.kind))
        var found: [String: any Prefetching] = [:]
        for kind in schema.kinds where kinds.contains(kind.name) {
            guard let handler = handlers[kind.name], Self.isListed(kind, handler), let prefetching = handler as? any Prefetching else { continue }
            found[kind.name] = prefetching
        }
        return found
    }

    /// Each kind in dependency order: listed (or probed, or taken from state), checked, matched.
    ///
    /// Invariants, for every bank: a list that names one id twice plans nothing (an error); an object without a
    /// natural-key field matches no resource (a note names it); one bank object is observed for one resource at most
    /// (a second claim makes both a conflict).
    func refresh(_ resources: [Resource], state: [ResourceAddress: StateEntry], ahead: ListsAhead) async throws -> Refresh {
        var notes: [String] = []
        var known = RemoteIDs(state.compactMapValues(\.remoteID), resources: ResourceIndex(resources))
        let claims = Claims(state)
        var observations: [ResourceAddress: Observation] = [:]
        for kind in LiveMatcher.refreshOrder(schema.kinds) {
            let desired = Self.resources(resources, of: kind.name)
            guard let handler = handlers[kind.name], !desired.isEmpty else { continue }
            if let unlisted = try await observeUnlisted(desired, kind: kind, handler: handler, known: known, state: state) {
                observations.merge(unlisted) { _, new in new }
                continue
            }
            let objects: [LiveObject]
            if let early = try await ahead.objects(of: kind.name, desired: desired, known: known) {
                objects = early
            } else {
                objects = try await handler.list(desired, known: known)
            }
            try checkDistinctIDs(objects, kind: kind)
            if objects.count >= AllocatorSettings.longList { AllocatorSettings.returnFreeMemory() }
            known.listed[kind.name] = objects
            let live = LiveIndex(objects, kind: kind)
            notes += unusableNotes(live)
            // Room for the kind once its list is read: while a long list is decoded, the answer and the decoder's map
            // of it are the largest things the process holds.
            observations.reserveCapacity(observations.count + desired.count)
            // The position in `desired` of the first resource to claim each id; the others that claim it after.
            var claimed: [String: Int] = [:]
            var contested: [String: [ResourceAddress]] = [:]
            for (position, resource) in zip(desired.indices, desired) {
                let observation = try await Self.observe(
                    resource, in: live, matcher: LiveMatcher(kind: kind, handler: handler, known: known, recorded: state[resource.address]),
                    claims: claims)
                observations[resource.address] = observation
                if let id = observation.claimedID {
                    if let first = claimed[id] {
                        contested[id, default: [desired[first].address]].append(resource.address)
                    } else {
                        claimed[id] = position
                    }
                }
                if case .present(let id, _) = observation { known.ids[resource.address] = id }
            }
            for (id, addresses) in contested {
                for address in addresses {
                    observations[address] = .contested(remoteID: id, others: addresses.filter { $0 != address })
                    known.ids[address] = nil
                }
            }
        }
        return Refresh(observations: observations, notes: notes)
    }

    /// The resources of one kind, in their order: a part of `resources`, not a copy, when they are written together
    /// (a manifest's resources are in address order, so each kind's are).
    static func resources(_ resources: [Resource], of kind: String) -> ArraySlice<Resource> {
        guard let first = resources.firstIndex(where: { $0.address.kind == kind }) else { return [] }
        let end = resources[first...].firstIndex { $0.address.kind != kind } ?? resources.endIndex
        guard !resources[end...].contains(where: { $0.address.kind == kind }) else { return ArraySlice(resources.filter { $0.address.kind == kind }) }
        return resources[first..<end]
    }

    /// Refuses a list that names one id twice: which object the id stands for cannot be known, so nothing is planned.
    func checkDistinctIDs(_ objects: [LiveObject], kind: ResourceKindSchema) throws {
        var seen = Set<String>()
        let repeated = Set(objects.map(\.id).filter { !seen.insert($0).inserted })
        guard !repeated.isEmpty else { return }
        throw ReconcilerError.inconsistentList(
            provider: name, kind: kind.name, reason: "\(bank) listed \(repeated.sorted().joined(separator: ", ")) more than once")
    }

    /// One note per object the bank listed without a natural-key field: it stands for no resource until it has one.
    func unusableNotes(_ live: LiveIndex) -> [String] {
        live.unusable.map { object in
            "\(live.kind.name): \(bank) lists \(object.id) without \(LiveIndex.missingFields(of: object, kind: live.kind).joined(separator: " and ")), "
                + "so it matches no resource by its natural key; check the object at the bank"
        }
    }

    /// What `matcher` finds for `resource`. The matcher (and its copy of the known ids) is gone once this returns,
    /// so the caller's `known` stays uniquely held and adding an id does not copy every id (once per resource).
    static func observe(_ resource: Resource, in live: LiveIndex, matcher: consuming LiveMatcher, claims: Claims) async throws -> Observation {
        try await matcher.observe(resource, in: live, claims: claims)
    }

    /// Observations of a kind that is not listed: probed (a manual kind whose handler probes), taken from state
    /// (a kind the bank cannot read back), or none (another manual kind, left to confirmations); nil for a listed kind.
    func observeUnlisted(
        _ desired: ArraySlice<Resource>, kind: ResourceKindSchema, handler: any KindHandler, known: RemoteIDs, state: [ResourceAddress: StateEntry]
    ) async throws -> [ResourceAddress: Observation]? {
        if Self.isListed(kind, handler) { return nil }
        var observations: [ResourceAddress: Observation] = [:]
        if let probing = handler as? any Probing {
            for resource in desired {
                observations[resource.address] = .probed(ProbeResult(parts: try await probing.probe(resource, known: known)))
            }
        } else if handler is any RecordedOnly {
            for resource in desired {
                guard let entry = state[resource.address], let id = entry.remoteID else { continue }
                observations[resource.address] = .present(remoteID: id, attributes: entry.attributes)
            }
        }
        return observations
    }

    /// Whether refresh reads the kind from its handler's list: not probed, not taken from state, not a manual step.
    static func isListed(_ kind: ResourceKindSchema, _ handler: any KindHandler) -> Bool {
        !(handler is any Probing) && !(handler is any RecordedOnly) && kind.capability != .manual
    }

    /// The bank's notes from its settings, and one for each kind of `resources` the bank cannot read back.
    public func notes(for resources: [Resource]) -> [String] {
        let kinds = Set(resources.map(\.address.kind))
        let unreadable = schema.kinds.filter { kinds.contains($0.name) && handlers[$0.name] is any RecordedOnly }.map {
            "\(bank) has no API to read \($0.name) back: the plan compares the manifest with what the last apply recorded, "
                + "so a change made at the bank outside provision cannot be seen."
        }
        return settingNotes + unreadable
    }

    public func complete(_ resource: Resource, redirect: String, context: ApplyContext, pending: PendingStep) async throws -> AppliedResource {
        let (kind, handler) = try parts(of: resource.address, doing: "complete")
        guard let completing = handler as? any RedirectCompleting else {
            throw CapabilityRefusal(bank: bank, address: resource.address.description, what: "finish \(kind.name) from a redirect URL")
        }
        var applied = try await completing.complete(resource, redirect: redirect, known: context.known, pending: pending)
        applied.attributes = applied.attributes.filter { kind.attribute($0.key) != nil }
        return applied
    }

    public func apply(_ change: Change, resource: Resource, context: ApplyContext) async throws -> AppliedResource {
        let (kind, handler) = try parts(of: resource.address, doing: change.action.rawValue)
        var applied: AppliedResource
        switch (change.action, handler) {
        case (.update, let updating as any Updating):
            guard let id = change.remoteID else { throw unsupported(change, "update \(kind.name) without its id") }
            applied = try await updating.update(resource, id: id, known: context.known)
        case (.create, let creating as any Creating):
            applied = try await creating.create(resource, known: context.known)
        case (.replace, let creating as any Creating) where change.replacement == .deleteThenCreate:
            // The new object keeps the old one's natural key, which the bank refuses twice: the old one goes first.
            let notes = try await retire(change, kind: kind, handler: handler, context: context)
            applied = try await creating.create(resource, known: context.known)
            applied.notes += notes
        case (.replace, let creating as any Creating):
            applied = try await creating.create(resource, known: context.known)
            applied.notes += try await retire(change, kind: kind, handler: handler, context: context)
        case (.create, let updating as any Updating), (.replace, let updating as any Updating):
            // A singleton the bank upserts: creating it is writing it.
            applied = try await updating.update(resource, id: change.remoteID ?? "", known: context.known)
        default:
            throw unsupported(change, "\(change.action.rawValue) \(kind.name)")
        }
        applied.attributes = applied.attributes.filter { kind.attribute($0.key) != nil }
        return applied
    }

    /// The object a replace superseded: deleted when the bank can, otherwise left for a person with the kind's removal steps.
    func retire(_ change: Change, kind: ResourceKindSchema, handler: any KindHandler, context: ApplyContext) async throws -> [String] {
        guard let old = change.remoteID else { return [] }
        var recorded = context.recorded?.attributes ?? [:]
        recorded.merge(change.before ?? [:]) { kept, _ in kept }
        if let deleting = handler as? any Deleting {
            let removal = Change(address: change.address, action: .delete, remoteID: old, before: recorded)
            guard let step = try await deleting.delete(removal, known: context.known, pending: .none) else { return [] }
            return ["The replaced object \(old) is removed once a person confirms it at \(step.url)."]
        }
        let orphan = Orphan(address: change.address, providerType: schema.type, remoteID: old, attributes: recorded)
        return kind.removal(of: orphan)
    }

    public func delete(_ change: Change, context: ApplyContext, pending: PendingStep) async throws -> PersonStep? {
        let (kind, handler) = try parts(of: change.address, doing: "delete")
        guard let deleting = handler as? any Deleting else { throw unsupported(change, "delete \(kind.name)") }
        return try await deleting.delete(change, known: context.known, pending: pending)
    }

    public func begin(_ change: Change, resource: Resource, context: ApplyContext, pending: PendingStep) async throws -> PersonStep? {
        guard let starting = handlers[resource.address.kind] as? any PersonStarting else { return nil }
        return try await starting.begin(resource, known: context.known, pending: pending)
    }

    /// Reads the kind again (or asks the step's progress, where the handler reports it) and reports the object once
    /// the bank shows it; throws `PersonStepEnded` when the bank ended the step without it.
    public func poll(_ resource: Resource, context: ApplyContext) async throws -> AppliedResource? {
        guard let kind = schema.kind(resource.address.kind), let handler = handlers[kind.name] else { return nil }
        let objects: [LiveObject]
        if let reporting = handler as? any StepProgressReporting {
            switch try await reporting.progress(resource, known: context.known) {
            case .finished(let object): objects = [object]
            case .waiting: return nil
            case .ended(let status, let next): throw PersonStepEnded(bank: bank, address: resource.address, status: status, next: next)
            }
        } else {
            objects = try await handler.list([resource], known: context.known)
        }
        let live = LiveIndex(objects, kind: kind)
        let matcher = LiveMatcher(kind: kind, handler: handler, known: context.known, recorded: context.recorded)
        let claims = Claims(context.remoteIDs.mapValues { StateEntry(remoteID: $0) })
        guard case .present(let id, let attributes) = try await matcher.observe(resource, in: live, claims: claims) else { return nil }
        return AppliedResource(remoteID: id, attributes: attributes.filter { kind.attribute($0.key) != nil })
    }

    func parts(of address: ResourceAddress, doing what: String) throws -> (ResourceKindSchema, any KindHandler) {
        guard let kind = schema.kind(address.kind), let handler = handlers[address.kind] else {
            throw CapabilityRefusal(bank: bank, address: address.description, what: "\(what) \(address.kind)")
        }
        return (kind, handler)
    }

    func unsupported(_ change: Change, _ what: String) -> CapabilityRefusal {
        CapabilityRefusal(bank: bank, address: change.address.description, what: what)
    }
}

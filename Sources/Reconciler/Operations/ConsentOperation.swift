import PlanModel

/// What `consent` asks for: the step's address and the URL the person's browser was sent back to.
public struct ConsentRequest: Sendable {
    public var address: String
    public var redirect: String
    public var lock: LockPolicy

    public init(address: String, redirect: String, lock: LockPolicy = LockPolicy()) {
        self.address = address
        self.redirect = redirect
        self.lock = lock
    }
}

/// Finishes a person's browser step (an OAuth consent) from the URL the browser reached, and records it in state.
///
/// Invariant: the state lock is held and the journal open before any bank is contacted; the intent line is written
/// before the bank call that finishes the step, the outcome line before the state changes.
public struct ConsentOperation: Sendable {
    public let request: ConsentRequest

    public init(_ request: ConsentRequest) {
        self.request = request
    }

    public func run(in workspace: Workspace) async throws -> AppliedResource {
        let resource = try workspace.resource(at: request.address)
        guard resource.capability == .interactive else {
            throw ReconcilerError.unsupportedStep(
                address: request.address, what: "it is \(resource.capability.rawValue), not a step finished in a browser",
                fix: "Only interactive steps (an OAuth consent) take a redirect URL; run apply for the others.")
        }
        return try await workspace.locked("consent", request.lock) {
            try await workspace.journaled("consent") { journal in
                try await workspace.connected { providers in
                    try await complete(resource, in: workspace, providers: providers, journal: journal)
                }
            }
        }
    }

    /// Finds the ids the step refers to (a refresh), finishes the step at the bank, records it in state.
    func complete(_ resource: Resource, in workspace: Workspace, providers: [String: any Provider], journal: Journal) async throws -> AppliedResource {
        guard let provider = providers[resource.address.instance] else { throw ReconcilerError.noProvider(instance: resource.address.instance) }
        var state = try await workspace.backend.load()
        let plan = try await Planner(providers: providers, catalog: workspace.catalog).plan(workspace.manifest, state: state)
        var remoteIDs = state.resources.compactMapValues(\.remoteID)
        for change in plan.changes { remoteIDs[change.address] = change.remoteID ?? remoteIDs[change.address] }
        let pending = PendingStep(record: state[resource.address]?.attributes ?? [:], secrets: workspace.backend.secrets.load(resource.address))
        let address = resource.address.description
        try await journal.write(JournalEntry(entry: "intent", address: address, action: Action.interactive.rawValue))
        let applied = try await provider.complete(
            resource, redirect: request.redirect, context: ApplyContext(
                remoteIDs: remoteIDs, recorded: state[resource.address],
                resources: ResourceIndex(workspace.manifest.resources)),
            pending: pending)
        try await journal.write(JournalEntry(
            entry: "outcome", address: address, action: Action.interactive.rawValue, remoteID: applied.remoteID,
            requestID: applied.requestID, outcome: "applied"))
        state[resource.address] = StateEntry(remoteID: applied.remoteID, attributes: applied.attributes, protected: resource.protected)
        try workspace.backend.secrets.save([:], for: resource.address)
        try await workspace.backend.save(&state)
        return applied
    }
}

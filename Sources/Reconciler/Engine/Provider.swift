import PlanModel

/// A bank adapter as the planner and applier see it: reads live state and carries out changes.
///
/// Every bank is a `BankProvider` built from its kind handlers; tests and benchmarks may adopt the role directly.
public protocol Provider: Sendable {
    /// The provider instance name from the manifest.
    var name: String { get }

    /// Reads live state for the provider's managed and observed resources, in a few list calls.
    func refresh(_ resources: [Resource], state: [ResourceAddress: StateEntry]) async throws -> [ResourceAddress: Observation]

    /// As `refresh`, with what a reviewer should know about the lists (an object that can stand for no resource).
    func refreshing(_ resources: [Resource], state: [ResourceAddress: StateEntry]) async throws -> Refresh

    /// Carries out one create, update or replace.
    func apply(_ change: Change, resource: Resource, context: ApplyContext) async throws -> AppliedResource

    /// Deletes a resource that left the manifest; called only for kinds whose schema says `deletable`.
    /// Returns a person's step when the bank needs one to finish the removal (resumed from `pending`), nil when done.
    func delete(_ change: Change, context: ApplyContext, pending: PendingStep) async throws -> PersonStep?

    /// Starts (or resumes, from `pending`) a step a person finishes in a browser; nil when the kind has none.
    func begin(_ change: Change, resource: Resource, context: ApplyContext, pending: PendingStep) async throws -> PersonStep?

    /// The resource once the person has finished, or nil while they have not.
    func poll(_ resource: Resource, context: ApplyContext) async throws -> AppliedResource?

    /// Finishes a person's browser step from the URL the browser was sent back to, pasted by the person.
    func complete(_ resource: Resource, redirect: String, context: ApplyContext, pending: PendingStep) async throws -> AppliedResource

    /// What a reviewer of a plan of `resources` should know about how this provider reads them; sorted, no timestamps.
    func notes(for resources: [Resource]) -> [String]

    /// The provider's import role, when it can list its live objects; nil otherwise.
    var importing: (any Inventorying)? { get }

    /// The provider's preflight role (`provision check`), when it has one; nil otherwise.
    var checking: (any ProviderChecking)? { get }
}

/// A provider that can list the live objects of its kinds, for `provision import`.
public protocol Inventorying: Provider {
    var schema: ProviderTypeSchema { get }
    /// Why `kind` cannot be imported, or nil when every object of it can be listed.
    func importRefusal(_ kind: String) -> String?
    /// The live objects of `kinds` that no resource of the manifest stands for, named.
    func inventory(kinds: [String], claimed: RemoteIDs, declared: Set<ResourceAddress>) async throws -> LiveInventory
}

/// What a refresh found: one observation per resource, and notes on the lists for the plan.
public struct Refresh: Sendable {
    public var observations: [ResourceAddress: Observation]
    public var notes: [String]

    public init(observations: [ResourceAddress: Observation], notes: [String] = []) {
        self.observations = observations
        self.notes = notes
    }
}

extension Provider {
    public func refreshing(_ resources: [Resource], state: [ResourceAddress: StateEntry]) async throws -> Refresh {
        Refresh(observations: try await refresh(resources, state: state))
    }

    public func delete(_ change: Change, context: ApplyContext, pending: PendingStep) async throws -> PersonStep? {
        throw CapabilityRefusal(bank: name, address: change.address.description, what: "delete \(change.address.kind)")
    }

    public func begin(_ change: Change, resource: Resource, context: ApplyContext, pending: PendingStep) async throws -> PersonStep? {
        nil
    }

    public func poll(_ resource: Resource, context: ApplyContext) async throws -> AppliedResource? {
        nil
    }

    public func complete(_ resource: Resource, redirect: String, context: ApplyContext, pending: PendingStep) async throws -> AppliedResource {
        throw CapabilityRefusal(bank: name, address: resource.address.description, what: "finish \(resource.address.kind) from a redirect URL")
    }

    public func notes(for resources: [Resource]) -> [String] {
        []
    }

    public var importing: (any Inventorying)? { nil }

    public var checking: (any ProviderChecking)? { nil }
}

/// A step a person finishes in a browser, started through the bank's API.
public struct PersonStep: Sendable {
    /// Where the person goes, e.g. a hosted link page or an OAuth authorization URL.
    public var url: String
    /// When `url` stops working, as the bank gives it.
    public var expiresAt: String?
    /// Recorded in state, so the next run resumes this step instead of starting another; never secrets.
    public var record: [String: Value]
    /// What resuming needs but must not reach state (a link token): kept in the secret store beside the state.
    public var secrets: [String: Sensitive]

    public init(url: String, expiresAt: String?, record: [String: Value] = [:], secrets: [String: Sensitive] = [:]) {
        self.url = url
        self.expiresAt = expiresAt
        self.record = record
        self.secrets = secrets
    }
}

/// What an apply step knows about other resources.
public struct ApplyContext: Sendable {
    /// Remote ids of resources observed or applied so far.
    public var remoteIDs: [ResourceAddress: String]
    /// What state recorded for the step's own resource before this run, if anything.
    public var recorded: StateEntry?
    /// The manifest's resources, by address: what a step may need of the resources it refers to.
    public var resources: ResourceIndex

    public init(remoteIDs: [ResourceAddress: String], recorded: StateEntry? = nil, resources: ResourceIndex = ResourceIndex()) {
        self.remoteIDs = remoteIDs
        self.recorded = recorded
        self.resources = resources
    }

    var known: RemoteIDs { RemoteIDs(remoteIDs, resources: resources) }
}

/// The outcome of one successful apply step.
public struct AppliedResource: Sendable {
    public var remoteID: String
    /// Attributes to record in state, including computed ones; never secrets.
    public var attributes: [String: Value]
    public var requestID: String?
    /// Things a person should know, e.g. an old object that must be closed by hand.
    public var notes: [String]

    public init(remoteID: String, attributes: [String: Value], requestID: String? = nil, notes: [String] = []) {
        self.remoteID = remoteID
        self.attributes = attributes
        self.requestID = requestID
        self.notes = notes
    }
}

import PlanModel

/// One object the bank holds, in the manifest's attribute names.
public struct LiveObject: Sendable, Equatable {
    public var id: String
    /// The attributes the bank reads back; a natural-key attribute may differ from the manifest's only in case and spacing.
    public var attributes: [String: Value]
    /// Reference attribute → the bank id of the object it points to, when the bank reports it.
    public var references: [String: String]

    public init(id: String, attributes: [String: Value] = [:], references: [String: String] = [:]) {
        self.id = id
        self.attributes = attributes
        self.references = references
    }
}

/// What the engine hands a kind's handler about the others: bank ids known so far (from state, from kinds observed
/// earlier in the same refresh, or from steps applied earlier), the provider's desired resources as the manifest
/// declares them, and the live objects earlier kinds listed in this refresh.
///
/// Invariant: this is the only way data crosses from one kind to another; no handler keeps what another one read.
public struct RemoteIDs: Sendable {
    public var ids: [ResourceAddress: String]
    /// The provider's resources as the manifest declares them, by address (e.g. an application a consent refers to).
    public var resources: ResourceIndex
    /// Kind name → the live objects its handler listed earlier in this refresh (or enumerated earlier in this import).
    public var listed: [String: [LiveObject]]

    public init(_ ids: [ResourceAddress: String] = [:], resources: ResourceIndex = ResourceIndex(), listed: [String: [LiveObject]] = [:]) {
        self.ids = ids
        self.resources = resources
        self.listed = listed
    }

    public subscript(address: ResourceAddress?) -> String? {
        address.flatMap { ids[$0] }
    }

    /// The declared resource at `address`, if the manifest declares one.
    public func resource(at address: ResourceAddress?) -> Resource? {
        address.flatMap { resources[$0] }
    }
}

/// How the engine picks the live object for a desired resource that state does not track.
public enum MatchRule: Sendable {
    /// By the schema's natural key; several matches are a conflict for a person to settle.
    case uniqueNaturalKey
    /// By the natural key, where any match will do (e.g. any account linked for a company satisfies a link).
    case anyNaturalKey
}

/// Reads one kind of resource at one bank. What the kind can do beyond reading follows from the
/// protocols its handler adopts: `Creating`, `Updating`, `Deleting`, `Fetching`, `PersonStarting`.
public protocol KindHandler: Sendable {
    /// What the bank holds of this kind, in a few list calls (every page), for these desired resources.
    func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject]
    /// The attributes to compare for a live object matched to `desired`; by default the object's own.
    func observe(_ object: LiveObject, desired: Resource) async throws -> [String: Value]
    var matching: MatchRule { get }
}

extension KindHandler {
    public func observe(_ object: LiveObject, desired: Resource) async throws -> [String: Value] {
        object.attributes
    }

    public var matching: MatchRule { .uniqueNaturalKey }
}

/// Reads one object by id, for a tracked object the list did not show.
public protocol Fetching: KindHandler {
    /// The object, or nil when the bank says it does not exist.
    func fetch(id: String, desired: Resource, known: RemoteIDs) async throws -> LiveObject?
}

/// Creates objects of the kind through the API.
public protocol Creating: KindHandler {
    func create(_ resource: Resource, known: RemoteIDs) async throws -> AppliedResource
}

/// Changes objects of the kind in place (or writes a singleton the bank upserts).
public protocol Updating: KindHandler {
    func update(_ resource: Resource, id: String, known: RemoteIDs) async throws -> AppliedResource
}

/// Deletes objects of the kind through the API (or starts a removal a person confirms).
public protocol Deleting: KindHandler {
    /// Nil when the object is gone; a person's step when the bank needs one to finish (resumed from `pending`).
    func delete(_ change: Change, known: RemoteIDs, pending: PendingStep) async throws -> PersonStep?
}

/// Starts a step a person finishes in a browser; the engine polls the kind's list until it shows the object.
public protocol PersonStarting: KindHandler {
    /// Starts the step, or resumes the one in `pending` while the bank still accepts it.
    func begin(_ resource: Resource, known: RemoteIDs, pending: PendingStep) async throws -> PersonStep
}

/// How far a person's step has got, as the bank reports it for one resource.
public enum PersonStepProgress: Sendable {
    /// Done: the live object.
    case finished(LiveObject)
    /// Not yet: the person may still finish it.
    case waiting
    /// The bank ended the step without the object (the person refused it, or it was withdrawn): waiting cannot change
    /// that. `status` is the bank's own word for it; `next` what a person does now.
    case ended(status: String, next: String)
}

/// A person's step whose progress the bank reports for one resource, so that the engine stops waiting at once when
/// the bank ends it without the object (instead of polling the kind's list until `--wait` runs out).
public protocol StepProgressReporting: PersonStarting {
    func progress(_ resource: Resource, known: RemoteIDs) async throws -> PersonStepProgress
}

/// A person's step the bank ended without the object, e.g. a registration the approver rejected.
///
/// Invariant: thrown only while polling a step; the next apply starts the step anew instead of resuming it.
public struct PersonStepEnded: Error, Sendable, CustomStringConvertible {
    public var bank: String
    public var address: ResourceAddress
    /// The bank's word for it, as it sent it (e.g. `REJECTED`).
    public var status: String
    /// What a person does next.
    public var next: String

    public init(bank: String, address: ResourceAddress, status: String, next: String) {
        self.bank = bank
        self.address = address
        self.status = status
        self.next = next
    }

    public var description: String { "\(address): \(bank) ended the step with status \(status). \(next)" }
}

/// What a run knows of a person's step started earlier: its record in state and its secrets in the secret store.
public struct PendingStep: Sendable {
    public var record: [String: Value]
    public var secrets: [String: Sensitive]

    public init(record: [String: Value] = [:], secrets: [String: Sensitive] = [:]) {
        self.record = record
        self.secrets = secrets
    }

    public static let none = PendingStep()
}

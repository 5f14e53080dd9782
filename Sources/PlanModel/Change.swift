/// What the engine will do about one resource.
public enum Action: String, Sendable, Codable, CaseIterable {
    case create
    case update
    case replace
    case adopt
    case noop = "no-op"
    /// An observed resource exists as required.
    case check
    /// An observed resource that must exist does not.
    case missing
    /// The bank holds several objects that match; a person must decide.
    case conflict
    /// A step for a person.
    case manual
    /// A step the API starts and a person finishes in a browser.
    case interactive
    /// Left the manifest: deleted through the API.
    case delete
    /// Left the manifest, and the bank has no API to delete it: dropped from state, removed by hand.
    case forget
    /// Left the manifest but is kept: deletes are not allowed in this run, or it is protected.
    case orphan

    /// The action changes the bank or the state, or needs a person.
    public var isChange: Bool {
        switch self {
        case .create, .update, .replace, .adopt, .manual, .interactive, .delete, .forget: return true
        case .noop, .check, .missing, .conflict, .orphan: return false
        }
    }

    /// The plan cannot be applied while it has this action.
    public var isError: Bool { self == .missing || self == .conflict }

    /// The action calls the bank's API.
    public var callsAPI: Bool { self == .create || self == .update || self == .replace || self == .delete }
}

/// How a replace goes: the order of its two calls, and what it leaves at the bank.
public enum Replacement: String, Sendable, Codable, CaseIterable {
    /// The new object first, then the old one deleted through the API.
    case createThenDelete = "create_then_delete"
    /// The new object first; the bank has no API to delete the old one, so it stays at the bank until a person
    /// removes it (the plan says how).
    case createThenForget = "create_then_forget"
    /// The old object deleted first: the new one has the same natural key, which the bank would refuse twice.
    case deleteThenCreate = "delete_then_create"
}

/// Why a change is planned, from a closed set a tool reading the JSON plan can rely on; `Change.reason` says it in words.
public enum ChangeReason: Sendable, Equatable {
    /// These attributes cannot change in place.
    case forcesReplacement(attributes: [String])
    /// Attributes differ and change in place.
    case attributesDiffer(attributes: [String])
    /// State tracks the object, and the bank no longer has it.
    case goneAtBank(remoteID: String)
    /// The bank has the object, and state does not track it yet.
    case notInState(remoteID: String)
    /// The resource moved from another address (`moved:` in the manifest); no bank call.
    case moved(from: ResourceAddress)
    /// The resource left the manifest.
    case leftManifest
    /// It left the manifest and is kept: `protect: true`.
    case protected
    /// It left the manifest and is kept: the run does not allow deletes.
    case deletesNotAllowed
    /// Several objects at the bank match its natural key.
    case severalMatch(candidates: [String])
    /// The tracked object and others with its natural key exist at the bank.
    case duplicatedAtBank(others: [String])
    /// The bank object it matches is matched by other resources too.
    case contested(with: [ResourceAddress])

    /// The reason's code in the JSON plan.
    public var code: String {
        switch self {
        case .forcesReplacement: "forces_replacement"
        case .attributesDiffer: "attributes_differ"
        case .goneAtBank: "gone_at_bank"
        case .notInState: "not_in_state"
        case .moved: "moved"
        case .leftManifest: "left_manifest"
        case .protected: "protected"
        case .deletesNotAllowed: "deletes_not_allowed"
        case .severalMatch: "several_match"
        case .duplicatedAtBank: "duplicated_at_bank"
        case .contested: "contested"
        }
    }
}

/// One attribute's move from the bank's value to the manifest's.
public struct AttributeChange: Sendable, Equatable {
    public var name: String
    public var before: Value?
    public var after: Value?
    public var forcesReplacement: Bool

    public init(name: String, before: Value?, after: Value?, forcesReplacement: Bool = false) {
        self.name = name
        self.before = before
        self.after = after
        self.forcesReplacement = forcesReplacement
    }
}

/// One entry of a plan.
public struct Change: Sendable, Equatable {
    public var address: ResourceAddress
    public var action: Action
    /// The bank's id, when the resource is known to exist.
    public var remoteID: String?
    public var attributeChanges: [AttributeChange]
    /// Why, in a few words, when the attribute changes do not say it.
    public var reason: String?
    /// What a person must do, for `manual` and `missing`.
    public var steps: [String]
    public var dependencies: [ResourceAddress]
    /// What the bank (or, for an orphan, the state) holds now; nil when nothing exists.
    public var before: [String: Value]?
    /// What the manifest asks for; nil for a delete, forget or orphan.
    public var after: [String: Value]?
    /// For a manual step checked by probe: what each part showed, and what a person confirmed.
    public var probe: ProbeResult?
    /// For a replace: the order of its calls, and whether the old object stays at the bank.
    public var replacement: Replacement?
    /// Why, from a closed set; empty for a no-op.
    public var reasons: [ChangeReason] = []
    /// The address state tracked the resource under before a `moved:` entry; apply moves the entry, calling no bank.
    public var movedFrom: ResourceAddress?
    /// The person's steps this change waits for (a manual or browser step not done yet, which it depends on directly,
    /// through another change, or through its provider's calls): apply does not attempt it, and exits 3 naming them.
    public var waitsFor: [ResourceAddress] = []

    /// The change does something apply must carry out: its action does, or state moves.
    public var isChange: Bool { action.isChange || movedFrom != nil }

    public init(
        address: ResourceAddress, action: Action, remoteID: String? = nil, attributeChanges: [AttributeChange] = [],
        reason: String? = nil, steps: [String] = [], dependencies: [ResourceAddress] = [],
        before: [String: Value]? = nil, after: [String: Value]? = nil
    ) {
        self.before = before
        self.after = after
        self.address = address
        self.action = action
        self.remoteID = remoteID
        self.attributeChanges = attributeChanges
        self.reason = reason
        self.steps = steps
        self.dependencies = dependencies
    }
}

/// A change made at the bank outside the tool: state's last-applied values against live ones.
public struct Drift: Sendable, Equatable {
    public var address: ResourceAddress
    /// The resource is in state but no longer at the bank.
    public var gone: Bool
    /// `before` is the last-applied value, `after` the live one.
    public var attributeChanges: [AttributeChange]

    public init(address: ResourceAddress, gone: Bool, attributeChanges: [AttributeChange]) {
        self.address = address
        self.gone = gone
        self.attributeChanges = attributeChanges
    }
}

extension Array where Element == Change {
    /// No change comes after one with a greater address: the order the differ makes.
    var isInAddressOrder: Bool {
        zip(self, dropFirst()).allSatisfy { !($1.address < $0.address) }
    }
}

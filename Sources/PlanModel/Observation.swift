/// What refresh found at the bank for one desired resource.
public enum Observation: Sendable, Equatable {
    /// It exists; attributes are those the bank reads back (plus recorded ones it cannot read).
    case present(remoteID: String, attributes: [String: Value])
    /// The bank has no such resource.
    case absent
    /// A person's step is done: a probe answered, or a confirmation for these exact attributes is recorded.
    case confirmed
    /// A person's step is not known to be done.
    case unconfirmed
    /// Several bank objects match the natural key; the engine will not guess.
    case ambiguous(candidates: [String])
    /// The tracked object exists, and so do others that match its natural key: duplicates at the bank
    /// (a create that was answered too late, or twice); a person decides which stays.
    case duplicated(remoteID: String, attributes: [String: Value], others: [String])
    /// A manual step checked by probe calls, part by part (see `ProbeResult`).
    case probed(ProbeResult)
    /// The one bank object this resource matches is matched by `others` too: one bank object stands for one
    /// resource at most, so none of them is planned until a person settles it.
    case contested(remoteID: String, others: [ResourceAddress])
}

extension Observation {
    /// The bank object this observation ties the resource to, for the one-object-one-resource check.
    public var claimedID: String? {
        switch self {
        case .present(let id, _), .duplicated(let id, _, _): return id
        default: return nil
        }
    }
}

/// A resource in state that is no longer in the manifest.
public struct Orphan: Sendable, Equatable {
    public var address: ResourceAddress
    public var providerType: String
    public var remoteID: String?
    /// Last recorded attributes.
    public var attributes: [String: Value]
    /// It was marked `protect: true` when last applied.
    public var protected: Bool

    public init(address: ResourceAddress, providerType: String, remoteID: String?, attributes: [String: Value], protected: Bool = false) {
        self.address = address
        self.providerType = providerType
        self.remoteID = remoteID
        self.attributes = attributes
        self.protected = protected
    }
}

/// Everything refresh learned: live observations, what state already tracks, and what left the manifest.
public struct Observed: Sendable, Equatable {
    public var live: [ResourceAddress: Observation]
    /// What state records of each resource it tracks. One table, not one per field: at 50,000 each table of addresses
    /// costs 7 MB, held while the plan is made.
    public var tracking: [ResourceAddress: Tracked]
    public var orphans: [Orphan]

    /// What state records of a tracked resource.
    public struct Tracked: Sendable, Equatable {
        public var remoteID: String
        /// The attributes last applied, for drift; nil when state does not say.
        public var recorded: [String: Value]?

        public init(remoteID: String, recorded: [String: Value]? = nil) {
            self.remoteID = remoteID
            self.recorded = recorded
        }
    }

    public init(live: [ResourceAddress: Observation], tracking: [ResourceAddress: Tracked], orphans: [Orphan] = []) {
        self.live = live
        self.tracking = tracking
        self.orphans = orphans
    }

    /// Observations with state's remote ids (`tracked`) and, for those, the attributes last applied (`recorded`).
    public init(
        live: [ResourceAddress: Observation], tracked: [ResourceAddress: String] = [:], orphans: [Orphan] = [],
        recorded: [ResourceAddress: [String: Value]] = [:]
    ) {
        self.init(
            live: live, tracking: Dictionary(uniqueKeysWithValues: tracked.map { ($0.key, Tracked(remoteID: $0.value, recorded: recorded[$0.key])) }),
            orphans: orphans)
    }

    /// The remote id state gives the resource at `address`.
    public func remoteID(_ address: ResourceAddress) -> String? { tracking[address]?.remoteID }

    /// The attributes last applied to the resource at `address`, when state tracks it and says.
    public func recorded(_ address: ResourceAddress) -> [String: Value]? { tracking[address]?.recorded }
}

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
}

/// Everything refresh learned: live observations, and what state already tracks.
public struct Observed: Sendable, Equatable {
    public var live: [ResourceAddress: Observation]
    /// Address → remote id, for resources in state.
    public var tracked: [ResourceAddress: String]

    public init(live: [ResourceAddress: Observation], tracked: [ResourceAddress: String] = [:]) {
        self.live = live
        self.tracked = tracked
    }
}

import Foundation
import PlanModel

/// What the tool knows it manages: address → remote id and last applied attributes.
///
/// Invariant: holds no secret; `serial` grows by one with every write; `lineage` never changes.
public struct State: Codable, Sendable, Equatable {
    public var formatVersion: Int
    public var lineage: String
    public var serial: Int
    public var resources: [ResourceAddress: StateEntry]
    /// Gates of the environment a person confirmed, by name.
    public var gates: [String: Confirmation] = [:]
    /// What the last apply in this state's environment did, for environments that promote from it.
    public var lastApply: ApplyRecord?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case lineage, serial, resources, gates
        case lastApply = "last_apply"
    }

    /// The only `format_version` this build reads and writes.
    public static let currentFormat = 1

    /// A state written in a format this build does not know; its fields would be lost, so it is refused.
    public struct UnknownFormat: Error, CustomStringConvertible {
        public var version: Int
        public var description: String {
            "it has format_version \(version), and this version of provision reads only \(State.currentFormat); use the provision that wrote it"
        }
    }

    /// A serial that cannot be raised by one more save (or is negative): the file was edited by hand.
    public struct SerialOutOfRange: Error, CustomStringConvertible {
        public var serial: Int
        public var description: String {
            "its serial \(serial) is out of range (0 to \(Int.max - 1)), so no save could follow it; it was edited by hand: "
                + "set serial back to the one it had (state history or the backup shows it)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        guard formatVersion == Self.currentFormat else { throw UnknownFormat(version: formatVersion) }
        lineage = try container.decode(String.self, forKey: .lineage)
        serial = try container.decode(Int.self, forKey: .serial)
        guard (0..<Int.max).contains(serial) else { throw SerialOutOfRange(serial: serial) }
        resources = try container.decode([ResourceAddress: StateEntry].self, forKey: .resources)
        gates = try container.decodeIfPresent([String: Confirmation].self, forKey: .gates) ?? [:]
        lastApply = try container.decodeIfPresent(ApplyRecord.self, forKey: .lastApply)
    }

    /// The journey's fields only when they hold something, so a state without gates reads as before.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(lineage, forKey: .lineage)
        try container.encode(serial, forKey: .serial)
        try container.encode(resources, forKey: .resources)
        if !gates.isEmpty { try container.encode(gates, forKey: .gates) }
        try container.encodeIfPresent(lastApply, forKey: .lastApply)
    }

    public init(lineage: String = UUID().uuidString.lowercased(), serial: Int = 0, resources: [ResourceAddress: StateEntry] = [:]) {
        self.formatVersion = 1
        self.lineage = lineage
        self.serial = serial
        self.resources = resources
    }

    public func entry(_ address: ResourceAddress) -> StateEntry? {
        resources[address]
    }

    public subscript(address: ResourceAddress) -> StateEntry? {
        get { resources[address] }
        set { resources[address] = newValue }
    }

    /// The state with `moves` followed: each entry tracked at a move's `from` is tracked at its `to` instead, when
    /// nothing is tracked there yet. Returns the moved state and, for each new address, where it came from.
    public func following(_ moves: [Move]) -> (state: State, movedFrom: [ResourceAddress: ResourceAddress]) {
        var moved = self
        var movedFrom: [ResourceAddress: ResourceAddress] = [:]
        for (from, to) in Move.resolved(moves).sorted(by: { $0.key < $1.key }) {
            guard let entry = moved.resources[from], moved.resources[to] == nil else { continue }
            moved.resources[from] = nil
            moved.resources[to] = entry
            movedFrom[to] = from
        }
        return (moved, movedFrom)
    }

    /// Entries of one provider instance; the dictionary itself, not a copy, when they are all of it.
    public func entries(of instance: String) -> [ResourceAddress: StateEntry] {
        resources.keys.allSatisfy { $0.instance == instance } ? resources : resources.filter { $0.key.instance == instance }
    }
}

/// One resource in state.
public struct StateEntry: Codable, Sendable, Equatable {
    public var remoteID: String?
    /// Last applied or observed attributes; secrets (and values written with `${env:}` or `${file:}`) are dropped on the
    /// way in, and any text holding a secret the process knows is scrubbed (`SecretScrubber`).
    public var attributes: [String: Value]
    /// For a manual step: the digest of the attributes a person confirmed.
    public var confirmed: String? {
        get { personRecord?.confirmed }
        set { personRecord = PersonRecord.of(confirmed: newValue, confirmation: confirmation) }
    }
    /// For a manual step: who confirmed it, when, and their note; nil for a confirmation recorded before these were kept.
    public var confirmation: Confirmation? {
        get { personRecord?.confirmation }
        set { personRecord = PersonRecord.of(confirmed: confirmed, confirmation: newValue) }
    }
    /// Marked `protect: true` when last applied: never deleted, even after it leaves the manifest.
    public var protected: Bool
    /// What only a manual step's entry holds, kept out of line: an entry is 40 bytes, not 96, and a state of 50,000
    /// entries holds 7 MB less. Nil when the entry has neither.
    private var personRecord: PersonRecord?

    enum CodingKeys: String, CodingKey {
        case remoteID = "remote_id"
        case attributes, confirmed, confirmation, protected
    }

    public init(remoteID: String? = nil, attributes: [String: Value] = [:], confirmed: String? = nil, protected: Bool = false) {
        self.remoteID = remoteID
        self.attributes = attributes.filter { !$0.value.isSensitive }.mapValues { SecretScrubber.process.scrub($0) }
        self.personRecord = PersonRecord.of(confirmed: confirmed, confirmation: nil)
        self.protected = protected
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        remoteID = try container.decodeIfPresent(String.self, forKey: .remoteID)
        attributes = try container.decodeIfPresent([String: Value].self, forKey: .attributes) ?? [:]
        personRecord = PersonRecord.of(
            confirmed: try container.decodeIfPresent(String.self, forKey: .confirmed),
            confirmation: try container.decodeIfPresent(Confirmation.self, forKey: .confirmation))
        protected = try container.decodeIfPresent(Bool.self, forKey: .protected) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(remoteID, forKey: .remoteID)
        try container.encode(attributes, forKey: .attributes)
        try container.encodeIfPresent(confirmed, forKey: .confirmed)
        try container.encodeIfPresent(confirmation, forKey: .confirmation)
        if protected { try container.encode(true, forKey: .protected) }
    }
}

/// A manual step's confirmation in state, held by reference (`indirect`): most entries have none.
indirect enum PersonRecord: Sendable, Equatable {
    case record(confirmed: String?, confirmation: Confirmation?)

    /// The record of these two, or nil when both are nil.
    static func of(confirmed: String?, confirmation: Confirmation?) -> PersonRecord? {
        confirmed == nil && confirmation == nil ? nil : .record(confirmed: confirmed, confirmation: confirmation)
    }

    var confirmed: String? {
        if case .record(let confirmed, _) = self { return confirmed }
        return nil
    }

    var confirmation: Confirmation? {
        if case .record(_, let confirmation) = self { return confirmation }
        return nil
    }
}

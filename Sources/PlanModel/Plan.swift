/// The ordered list of changes for a manifest, ready to render or apply.
public struct Plan: Sendable, Equatable {
    /// In apply order: every change after the changes it depends on, otherwise by address.
    public let changes: [Change]
    /// Provider instance name → provider type, for grouping.
    public let providers: [String: String]
    /// Changes made at the banks outside the tool since the last apply, apart from `changes`.
    public let drift: [Drift]
    /// The environment planned, if any.
    public let environment: String?
    /// Provider instance → what a reviewer should know about how it was read (e.g. answers accepted unverified).
    public let notes: [String: [String]]
    /// How many changes of each action `changes` holds, counted once: a summary asks for every action.
    let counts: [Action: Int]

    public init(
        changes: [Change], providers: [String: String], drift: [Drift] = [], environment: String? = nil, notes: [String: [String]] = [:]
    ) {
        self.changes = Self.ordered(changes)
        self.counts = changes.reduce(into: [:]) { $0[$1.action, default: 0] += 1 }
        self.providers = providers
        self.drift = drift
        self.environment = environment
        self.notes = notes.filter { !$0.value.isEmpty }
    }

    public var hasChanges: Bool { counts.keys.contains { $0.isChange } || moves > 0 }
    public var hasErrors: Bool { counts.keys.contains { $0.isError } }

    /// Resources whose state moves to another address (`moved:`), whatever else happens to them.
    public var moves: Int { changes.reduce(0) { $0 + ($1.movedFrom == nil ? 0 : 1) } }

    public func count(_ action: Action) -> Int {
        counts[action] ?? 0
    }

    /// Dependencies first; a change whose dependencies form a cycle keeps its address order after the rest.
    /// Works on positions, so each change is copied once, into the result.
    static func ordered(_ changes: [Change]) -> [Change] {
        let present = Set(changes.map(\.address))
        var placed = Set<ResourceAddress>()
        var result: [Change] = []
        result.reserveCapacity(changes.count)
        var remaining = changes.indices.sorted { changes[$0].address < changes[$1].address }
        while !remaining.isEmpty {
            let ready = remaining.filter { index in
                changes[index].dependencies.allSatisfy { placed.contains($0) || !present.contains($0) }
            }
            let batch = ready.isEmpty ? remaining : ready
            for index in batch { placed.insert(changes[index].address) }
            result += batch.map { changes[$0] }
            let taken = Set(batch)
            remaining.removeAll { taken.contains($0) }
        }
        return result
    }
}

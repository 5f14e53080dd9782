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

    public init(
        changes: [Change], providers: [String: String], drift: [Drift] = [], environment: String? = nil, notes: [String: [String]] = [:]
    ) {
        self.changes = Self.ordered(changes)
        self.providers = providers
        self.drift = drift
        self.environment = environment
        self.notes = notes.filter { !$0.value.isEmpty }
    }

    public var hasChanges: Bool { changes.contains { $0.action.isChange } }
    public var hasErrors: Bool { changes.contains { $0.action.isError } }

    public func count(_ action: Action) -> Int {
        changes.filter { $0.action == action }.count
    }

    /// Dependencies first; a change whose dependencies form a cycle keeps its address order after the rest.
    static func ordered(_ changes: [Change]) -> [Change] {
        let sorted = changes.sorted { $0.address < $1.address }
        let present = Set(sorted.map(\.address))
        var placed = Set<ResourceAddress>()
        var result: [Change] = []
        var remaining = sorted
        while !remaining.isEmpty {
            let ready = remaining.filter { change in
                change.dependencies.allSatisfy { placed.contains($0) || !present.contains($0) }
            }
            let batch = ready.isEmpty ? remaining : ready
            for change in batch { placed.insert(change.address) }
            result += batch
            let batchSet = Set(batch.map(\.address))
            remaining.removeAll { batchSet.contains($0.address) }
        }
        return result
    }
}

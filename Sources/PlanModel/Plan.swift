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

    /// A plan of `changes` put in apply order; given the only reference to them, the order is made in place.
    public init(
        changes: consuming [Change], providers: [String: String], drift: [Drift] = [], environment: String? = nil,
        notes: [String: [String]] = [:]
    ) {
        self.init(inOrder: Self.ordered(changes), providers: providers, drift: drift, environment: environment, notes: notes)
    }

    /// A plan of `changes` already in apply order, as `ordered` leaves them.
    private init(inOrder changes: [Change], providers: [String: String], drift: [Drift], environment: String?, notes: [String: [String]]) {
        self.changes = changes
        self.counts = changes.reduce(into: [:]) { $0[$1.action, default: 0] += 1 }
        self.providers = providers
        self.drift = drift
        self.environment = environment
        self.notes = notes.filter { !$0.value.isEmpty }
    }

    /// This plan with its changes marked in place by `marking`, which keeps every change where it is and keeps each
    /// one's address and dependencies (so the order holds without sorting again); `notes`, when given, replace the plan's.
    public func marking(_ marking: ([Change]) -> [Change], notes: [String: [String]]? = nil) -> Plan {
        let marked = marking(changes)
        precondition(marked.count == changes.count, "marking a plan keeps every change")
        return Plan(inOrder: marked, providers: providers, drift: drift, environment: environment, notes: notes ?? self.notes)
    }

    public var hasChanges: Bool { counts.keys.contains { $0.isChange } || moves > 0 }
    public var hasErrors: Bool { counts.keys.contains { $0.isError } }

    /// Resources whose state moves to another address (`moved:`), whatever else happens to them.
    public var moves: Int { changes.reduce(0) { $0 + ($1.movedFrom == nil ? 0 : 1) } }

    public func count(_ action: Action) -> Int {
        counts[action] ?? 0
    }

    /// Dependencies first; a change whose dependencies form a cycle keeps its address order after the rest.
    ///
    /// A change's layer is the longest chain of planned dependencies below it (a dependency the plan does not
    /// hold is no constraint); changes come out by layer, then by address, and a change that waits on a cycle
    /// comes after every layer. Each address is hashed once, and the changes are moved into place where they are:
    /// a copy in order held the plan twice (10 MB at 50,000).
    static func ordered(_ changes: consuming [Change]) -> [Change] {
        var destination = destinations(of: changes)
        // Each swap puts one change where it belongs.
        for index in changes.indices {
            while destination[index] != index {
                let other = destination[index]
                changes.swapAt(index, other)
                destination.swapAt(index, other)
            }
        }
        return changes
    }

    /// Where each change goes in apply order.
    private static func destinations(of changes: [Change]) -> [Int] {
        let layers = layers(of: changes)
        var destination = [Int](repeating: 0, count: changes.count)
        // Changes the differ made come in address order: then taking each layer's changes in turn keeps that order
        // within a layer, as the sort would, in linear time.
        if changes.isInAddressOrder {
            var byLayer: [Int: [Int]] = [:]
            for index in changes.indices { byLayer[layers[index], default: []].append(index) }
            var next = 0
            for layer in byLayer.keys.sorted() {
                for index in byLayer[layer]! {
                    destination[index] = next
                    next += 1
                }
            }
        } else {
            let order = changes.indices.sorted { left, right in
                layers[left] != layers[right] ? layers[left] < layers[right] : changes[left].address < changes[right].address
            }
            for (place, index) in order.enumerated() { destination[index] = place }
        }
        return destination
    }

    /// Each change's layer (Kahn's algorithm over positions); `Int.max` for a change that waits on a cycle.
    private static func layers(of changes: [Change]) -> [Int] {
        var position: [ResourceAddress: Int] = [:]
        position.reserveCapacity(changes.count)
        for index in changes.indices where position[changes[index].address] == nil { position[changes[index].address] = index }
        var waiting = [Int](repeating: 0, count: changes.count)
        var dependents = [[Int]](repeating: [], count: changes.count)
        for index in changes.indices {
            for dependency in changes[index].dependencies {
                guard let upstream = position[dependency] else { continue }
                waiting[index] += 1
                dependents[upstream].append(index)
            }
        }
        var depth = [Int](repeating: 0, count: changes.count)
        var ready = changes.indices.filter { waiting[$0] == 0 }
        while let index = ready.popLast() {
            for dependent in dependents[index] {
                depth[dependent] = max(depth[dependent], depth[index] + 1)
                waiting[dependent] -= 1
                if waiting[dependent] == 0 { ready.append(dependent) }
            }
        }
        return changes.indices.map { waiting[$0] == 0 ? depth[$0] : Int.max }
    }
}

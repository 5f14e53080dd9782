/// One `moved:` entry of a manifest: the resource state tracked at `from` is the one the manifest now declares at `to`.
///
/// A move changes no bank object: apply moves the state entry (with a journal line) and calls no bank.
public struct Move: Sendable, Equatable {
    public var from: ResourceAddress
    public var to: ResourceAddress
    public var location: SourceLocation

    public init(from: ResourceAddress, to: ResourceAddress, location: SourceLocation) {
        self.from = from
        self.to = to
        self.location = location
    }

    /// The key at the top of the manifest.
    public static let key = "moved"

    /// Each `from` mapped to where its chain of moves ends (`a → b`, `b → c` gives `a → c` and `b → c`).
    ///
    /// Invariant: the moves were validated (no cycle, one entry per `from`), so every chain ends.
    public static func resolved(_ moves: [Move]) -> [ResourceAddress: ResourceAddress] {
        let next = Dictionary(moves.map { ($0.from, $0.to) }) { first, _ in first }
        var resolved: [ResourceAddress: ResourceAddress] = [:]
        for start in next.keys {
            var end = next[start]!
            var seen: Set<ResourceAddress> = [start]
            while let further = next[end], seen.insert(end).inserted { end = further }
            resolved[start] = end
        }
        return resolved
    }

    /// The moves that lead back to where they started, each cycle once, as the addresses in order.
    public static func cycles(_ moves: [Move]) -> [[ResourceAddress]] {
        let next = Dictionary(moves.map { ($0.from, $0.to) }) { first, _ in first }
        var cycles: [[ResourceAddress]] = []
        var reported: Set<ResourceAddress> = []
        for start in next.keys.sorted() where !reported.contains(start) {
            var path = [start]
            var current = start
            while let further = next[current], !reported.contains(further) {
                if further == start {
                    cycles.append(path + [start])
                    reported.formUnion(path)
                    break
                }
                if path.contains(further) { break }
                path.append(further)
                current = further
            }
        }
        return cycles
    }
}

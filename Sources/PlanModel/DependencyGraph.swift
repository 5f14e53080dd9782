/// The graph of references between resources.
public enum DependencyGraph {
    /// Every elementary cycle found by depth-first search, each starting at its smallest address; sorted.
    /// `positions`, when given, maps each address to the position of its first resource (as `positions(of:)` does),
    /// so that a caller that already built it does not pay for it twice.
    public static func cycles(_ resources: [Resource], positions: [ResourceAddress: Int]? = nil) -> [[ResourceAddress]] {
        let suspects = nodesReachingACycle(resources, positions: positions ?? Self.positions(of: resources))
        guard !suspects.isEmpty else { return [] }
        let edges = Dictionary(
            resources.filter { suspects.contains($0.address) }.map { ($0.address, $0.dependencies) }, uniquingKeysWith: { first, _ in first })
        var found = Set<[ResourceAddress]>()
        var state: [ResourceAddress: Int] = [:]
        var stack: [ResourceAddress] = []

        func visit(_ node: ResourceAddress) {
            state[node] = 1
            stack.append(node)
            for next in edges[node] ?? [] where suspects.contains(next) {
                if state[next] == 1, let start = stack.firstIndex(of: next) {
                    let cycle = Array(stack[start...])
                    let pivot = cycle.firstIndex(of: cycle.min()!)!
                    found.insert(Array(cycle[pivot...] + cycle[..<pivot]))
                } else if state[next] == nil {
                    visit(next)
                }
            }
            stack.removeLast()
            state[node] = 2
        }

        for node in suspects.sorted() where state[node] == nil {
            visit(node)
        }
        return found.map { ($0.map(\.description).joined(separator: ","), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The nodes from which some cycle can be reached: what is left once nodes with no edge to a node still
    /// left are taken away, over and over.
    ///
    /// A search for cycles needs only these: a node taken away reaches no cycle and no node left, so leaving it
    /// out changes neither what a depth-first search from the nodes left finds nor the order it finds it in.
    static func nodesReachingACycle(_ resources: [Resource], positions: [ResourceAddress: Int]) -> Set<ResourceAddress> {
        // Nodes are resources' positions; a later resource at an address already seen is no node of its own.
        var outward = [Int](repeating: 0, count: resources.count)
        var inward = [[Int]](repeating: [], count: resources.count)
        var isNode = [Bool](repeating: false, count: resources.count)
        for (from, resource) in resources.enumerated() where positions[resource.address] == from {
            isNode[from] = true
            for target in resource.references.values {
                guard let to = positions[target] else { continue }
                outward[from] += 1
                inward[to].append(from)
            }
        }
        var sinks = outward.indices.filter { isNode[$0] && outward[$0] == 0 }
        while let sink = sinks.popLast() {
            for from in inward[sink] {
                outward[from] -= 1
                if outward[from] == 0 { sinks.append(from) }
            }
        }
        return Set(outward.indices.filter { outward[$0] > 0 }.map { resources[$0].address })
    }

    /// Each address's first position in `resources`.
    public static func positions(of resources: [Resource]) -> [ResourceAddress: Int] {
        var positions: [ResourceAddress: Int] = [:]
        positions.reserveCapacity(resources.count)
        for (position, resource) in resources.enumerated() where positions[resource.address] == nil {
            positions[resource.address] = position
        }
        return positions
    }
}

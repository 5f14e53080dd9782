/// The graph of references between resources.
public enum DependencyGraph {
    /// Every elementary cycle found by depth-first search, each starting at its smallest address; sorted.
    public static func cycles(_ resources: [Resource]) -> [[ResourceAddress]] {
        let edges = Dictionary(resources.map { ($0.address, $0.dependencies) }, uniquingKeysWith: { first, _ in first })
        var found = Set<[ResourceAddress]>()
        var state: [ResourceAddress: Int] = [:]
        var stack: [ResourceAddress] = []

        func visit(_ node: ResourceAddress) {
            state[node] = 1
            stack.append(node)
            for next in edges[node] ?? [] where edges[next] != nil {
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

        for node in edges.keys.sorted() where state[node] == nil {
            visit(node)
        }
        return found.map { ($0.map(\.description).joined(separator: ","), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

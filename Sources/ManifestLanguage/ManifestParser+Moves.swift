import PlanModel

extension ParseRun {
    /// Reads `moved:`, a list of `{ from: ADDRESS, to: ADDRESS }`, and checks that the moves can be followed: each
    /// address is one, a `from` is no longer declared, a `to` is declared, one entry per `from`, no cycle.
    mutating func readMoves(_ entry: ManifestNode.Entry) -> [Move] {
        guard case .sequence(let items, _) = entry.value else {
            problems.append(.wrongType(key: Move.key, expected: "a list of { from: INSTANCE.KIND.NAME, to: INSTANCE.KIND.NAME }", at: entry.value.location))
            return []
        }
        var moves: [Move] = []
        for item in items {
            if let move = readMove(item) { moves.append(move) }
        }
        let declared = Set(resources.map(\.address))
        var firstFrom: [ResourceAddress: Move] = [:]
        for move in moves {
            let (from, to) = (move.from.description, move.to.description)
            if let first = firstFrom[move.from] {
                problems.append(.invalidMove(from: from, to: to, reason: "\(from) already moves to \(first.to) (\(first.location)); keep one entry", at: move.location))
            } else {
                firstFrom[move.from] = move
            }
            if declared.contains(move.from) {
                problems.append(.invalidMove(
                    from: from, to: to, reason: "\(from) is still declared; a move's from must be gone from the manifest. Rename the entry to \(to), or remove this moved entry",
                    at: move.location))
            }
            if !declared.contains(move.to), !moves.contains(where: { $0.from == move.to }) {
                problems.append(.invalidMove(
                    from: from, to: to, reason: "\(to) is not declared; declare it (the renamed entry), or correct the address", at: move.location))
            }
        }
        for cycle in Move.cycles(moves) {
            let at = firstFrom[cycle[0]]?.location ?? entry.keyLocation
            problems.append(.invalidMove(
                from: cycle[0].description, to: cycle[1].description,
                reason: "the moves form a cycle: \(cycle.map(\.description).joined(separator: " → ")); remove one of them", at: at))
        }
        return moves
    }

    mutating func readMove(_ item: ManifestNode) -> Move? {
        guard case .mapping(let fields, let at) = item else {
            problems.append(.wrongType(key: Move.key, expected: "a mapping { from: INSTANCE.KIND.NAME, to: INSTANCE.KIND.NAME }", at: item.location))
            return nil
        }
        for field in fields where field.key != "from" && field.key != "to" {
            problems.append(.unknownKey(key: field.key, context: "a moved entry", known: ["from", "to"], at: field.keyLocation))
        }
        var ends: [String: ResourceAddress] = [:]
        for key in ["from", "to"] {
            guard let field = fields.first(where: { $0.key == key }) else {
                problems.append(.missingKey(key: key, context: "a moved entry", at: at))
                continue
            }
            guard case .scalar(let text, _, _) = field.value, let address = ResourceAddress(parsing: text) else {
                problems.append(.wrongType(key: "\(Move.key).\(key)", expected: "a resource address, INSTANCE.KIND.NAME (INSTANCE.KIND for a singleton)", at: field.value.location))
                continue
            }
            ends[key] = address
        }
        guard let from = ends["from"], let to = ends["to"] else { return nil }
        guard from != to else {
            problems.append(.invalidMove(from: from.description, to: to.description, reason: "from and to are the same address; remove the entry", at: at))
            return nil
        }
        return Move(from: from, to: to, location: at)
    }
}

extension CombinedTree {
    /// The `promotes_from:` cycles, as the problem each environment on one reports: apply would be refused in each
    /// of them for ever. A cycle reads the same from whichever of its environments is chosen (from its first name in
    /// order, at that environment's `promotes_from:`), so validating every environment reports it once.
    ///
    /// Each environment has at most one upstream, so one walk over the environments finds every cycle: linear in
    /// their number, however long the chains.
    static func promotionCycles(in environments: [String: ManifestNode], declared: [String]) -> [String: ManifestProblem] {
        func upstream(_ name: String) -> (name: String, at: SourceLocation)? {
            guard case .mapping(let entries, _)? = environments[name],
                  let source = entries.first(where: { $0.key == "promotes_from" })?.value,
                  case .scalar(let text, _, let at) = source, environments[text] != nil else { return nil }
            return (text, at)
        }
        var walked: Set<String> = []
        var cycles: [String: ManifestProblem] = [:]
        for start in declared where !walked.contains(start) {
            var path: [String] = []
            var onPath: [String: Int] = [:]
            var current: String? = start
            while let name = current, !walked.contains(name) {
                walked.insert(name)
                onPath[name] = path.count
                path.append(name)
                current = upstream(name)?.name
            }
            guard let name = current, let index = onPath[name] else { continue }
            let cycle = Array(path[index...])
            let first = cycle.min()!
            let from = cycle.firstIndex(of: first)!
            let problem = ManifestProblem.promotionCycle(environments: Array(cycle[from...] + cycle[..<from]) + [first], at: upstream(first)!.at)
            for member in cycle { cycles[member] = problem }
        }
        return cycles
    }
}

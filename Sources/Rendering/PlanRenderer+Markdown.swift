import PlanModel

extension PlanRenderer {
    /// A pull-request comment: the summary first, then a table, then details folded per provider.
    /// At most `limit` bytes of UTF-8 (see `MarkdownBound`): past it, the table keeps its first rows and the
    /// details whole providers, and the comment says how many changes it left out and where the whole plan is.
    public static func markdown(_ plan: Plan, limit: Int = 60_000) -> String {
        var head = "### provision plan" + (plan.environment.map { " (\($0))" } ?? "") + "\n\n**\(summary(plan))**\n"
        let listed = plan.changes.filter { $0.action != .noop && $0.action != .check }
        if !plan.drift.isEmpty {
            head += "\n⚠️ \(plan.drift.count) resource\(plan.drift.count == 1 ? "" : "s") changed at the bank outside provision (drift).\n"
        }
        for instance in plan.notes.keys.sorted() {
            head += plan.notes[instance]!.map { "\n> \(instance): \(escape($0))\n" }.joined()
        }
        guard !listed.isEmpty || !plan.drift.isEmpty else { return head }
        var table = "\n| | resource | action | why |\n|---|---|---|---|\n"
        for change in listed {
            table += "| \(symbols[change.action] ?? "") | `\(change.address)` | \(change.action.rawValue) | \(escape(change.reason ?? reasonFromAttributes(change))) |\n"
        }
        for drift in plan.drift {
            table += "| ≠ | `\(drift.address)` | drift | \(drift.gone ? "gone from the bank" : drift.attributeChanges.map(\.name).joined(separator: ", ") + " changed at the bank") |\n"
        }
        var body = MarkdownBound(head: head, table: table, changes: listed.count, drift: plan.drift.count, limit: limit)
        var sections: [(String, Int)] = []
        for instance in plan.providers.keys.sorted() {
            let changes = listed.filter { $0.address.instance == instance }
            guard !changes.isEmpty else { continue }
            let lines = changes.flatMap(render).map(printable).joined(separator: "\n")
            sections.append(("\n<details><summary>\(instance) (\(plan.providers[instance]!)): \(changes.count) change\(changes.count == 1 ? "" : "s")</summary>\n\n```\n\(lines)\n```\n</details>\n", changes.count))
        }
        for (section, count) in sections {
            body.add(section, changes: count)
        }
        return body.text
    }

    static func reasonFromAttributes(_ change: Change) -> String {
        let names = change.attributeChanges.map { $0.forcesReplacement ? "\($0.name) (forces replacement)" : $0.name }
        return names.isEmpty ? "" : names.joined(separator: ", ")
    }

    static func escape(_ text: String) -> String {
        printable(text.replacingOccurrences(of: "\n", with: " ")).replacingOccurrences(of: "|", with: "\\|")
    }
}

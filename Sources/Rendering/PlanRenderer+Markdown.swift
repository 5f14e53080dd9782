import PlanModel

extension PlanRenderer {
    /// A pull-request comment: the summary first, then a table, then details folded per provider.
    /// At most `limit` bytes of UTF-8 (see `MarkdownBound`): past it, the table keeps its first rows and the
    /// details whole providers, and the comment says how many changes it left out and where the whole plan is.
    /// `command` names the command in the heading (`provision plan`, `provision drift`), followed by the environment.
    public static func markdown(_ plan: Plan, command: String = "provision plan", limit: Int = 60_000) -> String {
        var head = "### \(command)" + (plan.environment.map { " (\($0))" } ?? "") + "\n\n**\(summary(plan))**\n"
        let listed = plan.changes.filter { ($0.action != .noop && $0.action != .check) || $0.movedFrom != nil }
        if !plan.drift.isEmpty {
            head += "\n⚠️ \(plan.drift.count) resource\(plan.drift.count == 1 ? "" : "s") changed at the bank outside provision (drift).\n"
        }
        for instance in plan.notes.keys.sorted() {
            head += plan.notes[instance]!.map { "\n> \(MarkdownEscape.text(instance)): \(MarkdownEscape.text($0, limit: 1000))\n" }.joined()
        }
        guard !listed.isEmpty || !plan.drift.isEmpty else { return head }
        var table = "\n| | resource | action | why |\n|---|---|---|---|\n"
        for change in listed {
            let why = MarkdownEscape.text(change.reason ?? reasonFromAttributes(change))
            table += "| \(symbols[change.action] ?? "") | \(MarkdownEscape.code(change.address.description)) | \(actionText(change)) | \(why) |\n"
        }
        for drift in plan.drift {
            let what = drift.gone ? "gone from the bank" : MarkdownEscape.text(drift.attributeChanges.map(\.name).joined(separator: ", ")) + " changed at the bank"
            table += "| ≠ | \(MarkdownEscape.code(drift.address.description)) | drift | \(what) |\n"
        }
        var body = MarkdownBound(head: head, table: table, changes: listed.count, drift: plan.drift.count, limit: limit)
        var sections: [(String, Int)] = []
        for instance in plan.providers.keys.sorted() {
            let changes = listed.filter { $0.address.instance == instance }
            guard !changes.isEmpty else { continue }
            let lines = changes.flatMap(render).map(printable).joined(separator: "\n")
            let fence = MarkdownEscape.fence(for: lines)
            let title = "\(MarkdownEscape.text(instance)) (\(MarkdownEscape.text(plan.providers[instance]!)))"
            sections.append(("\n<details><summary>\(title): \(changes.count) change\(changes.count == 1 ? "" : "s")</summary>\n\n\(fence)\n\(lines)\n\(fence)\n</details>\n", changes.count))
        }
        for (section, count) in sections {
            body.add(section, changes: count)
        }
        return body.text
    }

    /// The action in the table: a replace says its order, a move where from.
    static func actionText(_ change: Change) -> String {
        var text = change.action == .noop ? "" : change.action.rawValue
        if let replacement = change.replacement { text += " (\(order(replacement)))" }
        if let from = change.movedFrom { text += (text.isEmpty ? "" : ", ") + "moved from " + MarkdownEscape.code(from.description) }
        if !change.waitsFor.isEmpty { text += ", waits for " + change.waitsFor.map { MarkdownEscape.code($0.description) }.joined(separator: ", ") }
        return text
    }

    static func reasonFromAttributes(_ change: Change) -> String {
        let names = change.attributeChanges.map { $0.forcesReplacement ? "\($0.name) (forces replacement)" : $0.name }
        return names.isEmpty ? "" : names.joined(separator: ", ")
    }
}

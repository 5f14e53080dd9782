import PlanModel

/// Renders a plan for people: grouped by provider, in apply order, no timestamps, secrets as `(sensitive)`.
public enum PlanRenderer {
    static let symbols: [Action: String] = [
        .create: "+", .update: "~", .replace: "-/+", .adopt: "=", .check: " ", .noop: " ",
        .missing: "!", .conflict: "!", .manual: "?", .interactive: "?", .delete: "-", .forget: "-", .orphan: "#",
    ]

    public static func text(_ plan: Plan) -> String {
        // Every line is made printable as it is added: a change's lines in `changeLines`, the rest in `add`.
        var lines: [String] = []
        func add(_ line: String) { lines.append(printable(line)) }
        for instance in plan.providers.keys.sorted() {
            add("\(instance) (\(plan.providers[instance]!))")
            (plan.notes[instance] ?? []).forEach { add("    note: \($0)") }
            var total = 0
            var unchanged = 0
            var shown: [Change] = []
            for change in plan.changes where change.address.instance == instance {
                total += 1
                if (change.action != .noop && change.action != .check) || change.probe != nil || change.movedFrom != nil {
                    shown.append(change)
                } else {
                    unchanged += 1
                }
            }
            lines += changeLines(shown)
            if unchanged > 0 {
                add("    \(unchanged) unchanged")
            }
            if total == 0 {
                add("    no resources")
            }
            add("")
        }
        for key in plan.notes.keys.sorted() where plan.providers[key] == nil {
            plan.notes[key]!.forEach { add("note: \($0)") }
            add("")
        }
        if !plan.drift.isEmpty {
            add("Changed at the bank outside provision since the last apply (drift):")
            for drift in plan.drift {
                add("  ≠ \(drift.address)" + (drift.gone ? " is gone from the bank" : ""))
                for attribute in drift.attributeChanges {
                    add("      \(attribute.name): \(attribute.before?.description ?? "(none)") → \(attribute.after?.description ?? "(none)")")
                }
            }
            add("")
        }
        add(summary(plan))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The printable lines of `changes`, in order; a long plan's changes are rendered in two halves at once.
    static func changeLines(_ changes: [Change]) -> [String] {
        Array(Concurrently.map(changes) { render($0).map(printable) }.joined())
    }

    static func render(_ change: Change) -> [String] {
        let verified = change.action == .noop && change.probe != nil
        let symbol = verified ? "✓" : symbols[change.action] ?? " "
        var head = "  \(change.movedFrom != nil && symbol == " " ? "→" : symbol) \(change.address)"
        if let from = change.movedFrom { head += " has moved from \(from)" + (change.action == .noop ? "" : ",") }
        switch change.action {
        case .create: head += " will be created"
        case .update: head += " will be updated in place"
        case .replace: head += " must be replaced" + (change.replacement.map { " (\(Self.order($0)))" } ?? "")
        case .adopt: head += " will be adopted into state"
        case .missing: head += " is missing at the bank (error)"
        case .conflict: head += " is ambiguous (error)"
        case .manual: head += " needs a person"
        case .interactive: head += " needs a person in a browser"
        case .delete: head += " will be deleted"
        case .forget: head += " will be removed from state"
        case .orphan: head += " is kept"
        case .noop, .check: if verified { head += " is verified" }
        }
        if !change.waitsFor.isEmpty { head += ", once \(change.waitsFor.map(\.description).joined(separator: " and ")) \(change.waitsFor.count == 1 ? "is" : "are") done" }
        var lines = [head]
        if let reason = change.reason {
            lines.append("      (\(reason))")
        }
        if let probe = change.probe {
            lines += probe.parts.map { "      " + probe.line($0) }
        }
        let width = (change.attributeChanges.map(\.name.count).max() ?? 0) + 1
        for attribute in change.attributeChanges {
            let label = attribute.name + ":" + String(repeating: " ", count: max(0, width - attribute.name.count - 1))
            var text = "      \(label) "
            switch (attribute.before, attribute.after) {
            case (nil, let after?): text += after.description
            case (let before?, nil): text += "\(before.description) → (none)"
            case (let before?, let after?): text += "\(before.description) → \(after.description)"
            case (nil, nil): text += "(none)"
            }
            if attribute.forcesReplacement { text += "  # forces replacement" }
            lines.append(text)
        }
        for (index, step) in change.steps.enumerated() {
            lines.append("      \(index + 1). \(step)")
        }
        return lines
    }

    /// A replacement's order in words.
    static func order(_ replacement: Replacement) -> String {
        switch replacement {
        case .createThenDelete: "create, then delete the old one"
        case .createThenForget: "create, then forget the old one: it stays at the bank"
        case .deleteThenCreate: "delete the old one, then create"
        }
    }

    public static func summary(_ plan: Plan) -> String {
        if !plan.hasChanges && !plan.hasErrors {
            return "No changes. The bank setup matches the manifest."
        }
        var parts = [
            "\(plan.count(.create)) to create", "\(plan.count(.update)) to update", "\(plan.count(.replace)) to replace",
            "\(plan.count(.delete)) to delete",
        ]
        if plan.count(.adopt) > 0 { parts.append("\(plan.count(.adopt)) to adopt") }
        if plan.moves > 0 { parts.append("\(plan.moves) moved") }
        if plan.count(.forget) > 0 { parts.append("\(plan.count(.forget)) to remove by hand") }
        if plan.count(.orphan) > 0 { parts.append("\(plan.count(.orphan)) kept outside the manifest") }
        let manual = plan.count(.manual) + plan.count(.interactive)
        if manual > 0 { parts.append(manual == 1 ? "1 step for a person" : "\(manual) steps for a person") }
        let errors = plan.changes.reduce(0) { $0 + ($1.action.isError ? 1 : 0) }
        if errors > 0 { parts.append(errors == 1 ? "1 error" : "\(errors) errors") }
        return "Plan: " + parts.joined(separator: ", ") + "."
    }

    /// The longest line a plan prints, in Unicode scalars; a longer one (a value from a bank) is cut with `…`.
    public static let lineLimit = 2_000

    /// The line with control characters (and bidirectional overrides) written as `\u{…}` escapes, so a value
    /// from a manifest or a bank can neither move the cursor nor pass for lines of the plan; see `TerminalEscape`.
    public static func printable(_ line: String) -> String {
        TerminalEscape.field(line, limit: lineLimit)
    }
}

import PlanModel

/// The views of `provision drift`: the text shows only what changed outside the tool; the Markdown is the plan's, headed
/// `provision drift`.
public enum DriftReport {
    public static func markdown(_ plan: Plan) -> String {
        PlanRenderer.markdown(plan, command: "provision drift")
    }

    public static func text(_ plan: Plan) -> String {
        guard !plan.drift.isEmpty else { return "No drift: every tracked resource matches its last-applied state.\n" }
        var lines: [String] = []
        for drift in plan.drift {
            lines.append("≠ \(TerminalEscape.field(drift.address.description))" + (drift.gone ? " is gone from the bank" : " changed at the bank"))
            for attribute in drift.attributeChanges {
                lines.append("    \(TerminalEscape.field(attribute.name)): \(attribute.before?.description ?? "(none)") → \(attribute.after?.description ?? "(none)")")
            }
        }
        lines.append("")
        lines.append("\(plan.drift.count) resource\(plan.drift.count == 1 ? "" : "s") drifted. `provision plan` shows how apply would bring them back; `provision apply --refresh-only` accepts them into state instead.")
        return lines.map(PlanRenderer.printable).joined(separator: "\n") + "\n"
    }
}

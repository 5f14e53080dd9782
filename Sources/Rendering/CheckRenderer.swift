import Reconciler

/// The text of `provision check`: a table with one line per check (provider, check, status, what was seen), the fix
/// under each line that is not ok, and the count of each status.
public enum CheckRenderer {
    public static func text(_ result: CheckResult) -> String {
        let headings = ["PROVIDER", "CHECK", "STATUS"]
        let rows = result.lines.map { [$0.provider, $0.finding.subject, $0.finding.status.rawValue] }
        let widths = (0..<headings.count).map { column in ([headings[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0 }
        let pad = { (cells: [String]) in zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ") }
        let indent = String(repeating: " ", count: widths.reduce(0, +) + 2 * widths.count)
        var lines = [pad(headings) + "  DETAIL"]
        for (row, line) in zip(rows, result.lines) {
            lines.append(pad(row) + "  " + line.finding.detail)
            if let fix = line.finding.fix { lines.append(indent + "fix: " + fix) }
        }
        lines.append("")
        lines.append(summary(result))
        return lines.map(PlanRenderer.printable).joined(separator: "\n") + "\n"
    }

    /// `Check: 1 failed, 0 warnings, 7 ok.`
    public static func summary(_ result: CheckResult) -> String {
        let warnings = result.count(.warning)
        return "Check: \(result.count(.failed)) failed, \(warnings) warning\(warnings == 1 ? "" : "s"), \(result.count(.ok)) ok."
    }
}

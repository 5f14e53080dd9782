/// A Markdown plan cut to fit a pull-request comment: the head whole, as many of the table's first rows as fit,
/// then each provider's folded details when they fit whole, and a last line saying what was left out and where
/// the whole plan is.
///
/// Invariant: `text` takes at most `limit` bytes of UTF-8, so at most `limit` characters however they are counted
/// (a GitHub comment holds 65,536). Rows are kept in the table's order, so the comment shows the first changes.
struct MarkdownBound {
    private var body: String
    private let limit: Int
    /// Bytes the body may still take, the last line's room kept aside.
    private var room: Int
    private let changes: Int
    private let drift: Int
    private let rowsShown: Int
    private var detailsLeftOut = 0

    /// `table` is the table's blank line, header and separator, then one line per change and per drift, in that order.
    init(head: String, table: String, changes: Int, drift: Int, limit: Int) {
        self.changes = changes
        self.drift = drift
        self.limit = limit
        let reserve = Self.leftOut(rows: changes + drift, of: changes + drift, details: changes, of: changes).utf8.count
        let fitting = max(0, limit - reserve - head.utf8.count)
        // The table up to the end of its last line within `fitting` bytes; its first three lines are not rows.
        var end = 0
        var lines = 0
        for (offset, byte) in table.utf8.enumerated() where byte == UInt8(ascii: "\n") {
            guard offset < fitting else { break }
            end = offset + 1
            lines += 1
        }
        rowsShown = max(0, lines - 3)
        body = head + String(decoding: table.utf8.prefix(end), as: UTF8.self)
        room = max(0, limit - reserve - body.utf8.count)
    }

    /// Adds a provider's folded details when every row is shown and they fit whole; otherwise counts their changes as left out.
    mutating func add(_ section: String, changes count: Int) {
        guard rowsShown == changes + drift, section.utf8.count <= room else {
            detailsLeftOut += count
            return
        }
        body += section
        room -= section.utf8.count
    }

    /// The comment: the body, then, when anything was left out, the line saying what and where the whole plan is.
    var text: String {
        let rows = changes + drift
        guard rowsShown < rows || detailsLeftOut > 0 else { return Self.clipped(body, to: limit) }
        return Self.clipped(body + Self.leftOut(rows: rows - rowsShown, of: rows, details: detailsLeftOut, of: changes), to: limit)
    }

    static func leftOut(rows: Int, of rowTotal: Int, details: Int, of changeTotal: Int) -> String {
        var parts: [String] = []
        if rows > 0 { parts.append("\(rows) of the table's \(rowTotal) row\(rowTotal == 1 ? "" : "s")") }
        if details > 0 { parts.append("the details of \(details) of \(changeTotal) change\(changeTotal == 1 ? "" : "s")") }
        return "\n_Left out, cut to fit a pull-request comment: \(parts.joined(separator: " and ")). The whole plan is in "
            + "the text `provision plan` prints, in the file `provision plan --out FILE` saves (JSON, the plan as text in "
            + "its `plan_text`; the CI job uploads it as the artifact `provision-plan`) and in `provision plan --format json`._\n"
    }

    /// The longest start of `text` within `bytes` bytes of UTF-8, cut between Unicode scalars.
    static func clipped(_ text: String, to bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var used = 0
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            used += UTF8.width(scalar)
            guard used <= bytes else { break }
            kept.append(scalar)
        }
        return String(kept)
    }
}

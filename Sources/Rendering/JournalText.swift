import PlanModel
import Reconciler

/// A journal line for people: when, which run and who, what, and how it ended.
///
/// Every field is escaped and capped as a terminal field: a journal holds what banks and people supplied.
public enum JournalText {
    public static func line(_ record: JournalRecord) -> String {
        let entry = record.entry
        let quote = { (text: String) in TerminalEscape.field(text) }
        var parts = [quote(entry.time), "run \(quote(record.run))"]
        if let operation = entry.operation { parts.append(quote(operation)) }
        if let by = entry.runBy { parts.append("by \(quote(by))") }
        var what = (entry.entry == entry.action ? quote(entry.entry) : "\(quote(entry.entry)) \(quote(entry.action))") + " \(quote(entry.address))"
        if let outcome = entry.outcome { what += ": \(quote(outcome))" }
        if let id = entry.remoteID { what += ", id \(quote(id))" }
        if let request = entry.requestID { what += ", request \(quote(request))" }
        if let code = entry.code { what += ", bank code \(quote(code))" }
        if let error = entry.error { what += ", \(TerminalEscape.field(error, limit: 1_000))" }
        if let by = entry.by { what += ", confirmed by \(quote(by))" }
        if let note = entry.note { what += " (\(TerminalEscape.field(note, limit: 1_000)))" }
        return parts.joined(separator: "  ") + "  " + what
    }
}

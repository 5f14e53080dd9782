import PlanModel
import Reconciler

/// A journal line for people: when, which run and who, what, and how it ended.
public enum JournalText {
    public static func line(_ record: JournalRecord) -> String {
        let entry = record.entry
        var parts = [entry.time, "run \(record.run)"]
        if let operation = entry.operation { parts.append(operation) }
        if let by = entry.runBy { parts.append("by \(by)") }
        var what = (entry.entry == entry.action ? entry.entry : "\(entry.entry) \(entry.action)") + " \(entry.address)"
        if let outcome = entry.outcome { what += ": \(outcome)" }
        if let id = entry.remoteID { what += ", id \(id)" }
        if let request = entry.requestID { what += ", request \(request)" }
        if let code = entry.code { what += ", bank code \(code)" }
        if let error = entry.error { what += ", \(error)" }
        if let by = entry.by { what += ", confirmed by \(by)" }
        if let note = entry.note { what += " (\(note))" }
        return PlanRenderer.printable(parts.joined(separator: "  ") + "  " + what)
    }
}

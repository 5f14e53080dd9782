import Foundation
import PlanModel
import Reconciler

/// The words of an apply for people: one line per step event, and the summary at the end.
public enum ApplyEventText {
    /// The line of an event on standard output; nil for those that go to standard error (a failure, a skip).
    /// The command a waiting step suggests is written for `invocation`, so that it runs when pasted.
    public static func line(for event: ApplyEvent, invocation: Invocation = Invocation()) -> String? {
        switch event {
        case .started(let change):
            return "\(shown(change.address)): \(verb(change.action, done: false))..."
        case .finished(let change, _, _) where change.action == .noop && change.movedFrom != nil:
            return "\(shown(change.address)): moved from \(shown(change.movedFrom!)) in state (no bank call)"
        case .finished(let change, let applied, let seconds):
            var line = "\(shown(change.address)): \(verb(change.action, done: true))"
            if let applied {
                line += " (id \(TerminalEscape.field(applied.remoteID))" + (applied.requestID.map { ", request \(TerminalEscape.field($0))" } ?? "") + ")"
            }
            return line + String(format: " [%.1fs]", seconds)
        case .waiting(let change) where !change.waitsFor.isEmpty:
            return "\(change.address): waits for \(change.waitsFor.map(\.description).joined(separator: ", ")) (a person's step); the next apply runs it once that is done"
        case .waiting(let change):
            if change.action == .interactive {
                return "\(shown(change.address)): waits for a person (steps above); run apply again once they are done"
            }
            return "\(shown(change.address)): waits for a person (steps above); run `\(TerminalEscape.field(invocation.confirm(change.address.description)))` when done"
        case .personStep(let change, let step):
            return "\(shown(change.address)): a person must open \(TerminalEscape.field(step.url, limit: 4_000))"
                + (step.expiresAt.map { " (before \(TerminalEscape.field($0)))" } ?? "")
        case .failed, .skipped:
            return nil
        }
    }

    /// The line of a failed or skipped step, for standard error; nil for the others.
    public static func problem(for event: ApplyEvent) -> String? {
        switch event {
        case .failed(let change, let failure): return "\(shown(change.address)): failed: \(ErrorText.terminal(failure))"
        case .skipped(let change, let blocker): return "\(shown(change.address)): skipped because \(shown(blocker)) failed"
        default: return nil
        }
    }

    /// An address as a line shows it: one taken from state may hold anything.
    static func shown(_ address: ResourceAddress) -> String {
        TerminalEscape.field(address.description)
    }

    static func verb(_ action: Action, done: Bool) -> String {
        switch action {
        case .create: return done ? "created" : "creating"
        case .update: return done ? "updated" : "updating"
        case .replace: return done ? "replaced" : "replacing"
        case .adopt: return done ? "adopted into state" : "adopting"
        case .delete: return done ? "deleted" : "deleting"
        case .interactive: return done ? "done by a person, recorded" : "starting a step for a person"
        case .forget: return done ? "removed from state; remove it at the bank by hand (see the note below)" : "removing from state"
        default: return action.rawValue
        }
    }

    /// How a stop left things, when a signal stopped the apply; nil otherwise.
    public static func stopped(_ report: ApplyReport) -> String? {
        guard let signal = report.stoppedBy else { return nil }
        return "Stopped by \(signal == SIGINT ? "SIGINT" : "SIGTERM") before these started (run apply again to finish): "
            + (report.notStarted.isEmpty ? "none" : report.notStarted.map(\.description).joined(separator: ", "))
    }

    /// The one summary line.
    public static func summary(_ report: ApplyReport) -> String {
        var parts = ["\(report.applied.count) applied"]
        if !report.failed.isEmpty { parts.append("\(report.failed.count) failed") }
        if !report.skipped.isEmpty { parts.append("\(report.skipped.count) skipped") }
        if !report.waiting.isEmpty { parts.append("\(report.waiting.count) waiting for a person") }
        if !report.notStarted.isEmpty { parts.append("\(report.notStarted.count) not started") }
        return "Apply \(report.converged ? "complete" : "incomplete"): " + parts.joined(separator: ", ") + "."
    }
}

/// An apply as a stream of JSON objects, one per line, for CI: each step event, then the result.
///
/// Every object has `type`; step events carry `address`, `action` and what the event knows (id, request id, seconds,
/// error and the bank's code, a person's URL); the last object is `{"type": "result", ...}` with the exit code.
public enum ApplyEventJSON {
    struct Line: Encodable {
        var type: String
        var address: String?
        var action: String?
        var remoteID: String?
        var requestID: String?
        var seconds: Double?
        var error: String?
        var code: String?
        var because: String?
        var url: String?
        var expiresAt: String?
        var converged: Bool?
        var cancelled: Bool?
        var exitCode: Int32?
        var applied, failed, skipped, waiting, notStarted: [String]?
        var notes: [String]?

        enum CodingKeys: String, CodingKey {
            case type, address, action, seconds, error, code, because, url, converged, cancelled, applied, failed, skipped, waiting, notes
            case remoteID = "remote_id", requestID = "request_id", expiresAt = "expires_at", exitCode = "exit_code", notStarted = "not_started"
        }

        init(type: String, change: Change? = nil) {
            self.type = type
            address = change?.address.description
            action = change?.action.rawValue
        }

        var rendered: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return PlanRenderer.jsonSafe(String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self))
        }
    }

    public static func line(for event: ApplyEvent) -> String {
        var line: Line
        switch event {
        case .started(let change):
            line = Line(type: "started", change: change)
        case .finished(let change, let applied, let seconds):
            line = Line(type: "finished", change: change)
            line.remoteID = applied?.remoteID
            line.requestID = applied?.requestID
            line.seconds = (seconds * 10).rounded() / 10
        case .failed(let change, let failure):
            line = Line(type: "failed", change: change)
            line.error = failure.message
            line.code = failure.providerError?.code
            line.requestID = failure.providerError?.requestID
        case .skipped(let change, let blocker):
            line = Line(type: "skipped", change: change)
            line.because = blocker.description
        case .waiting(let change):
            line = Line(type: "waiting", change: change)
        case .personStep(let change, let step):
            line = Line(type: "person_step", change: change)
            line.url = step.url
            line.expiresAt = step.expiresAt
        }
        return line.rendered
    }

    /// The last line: what the apply did and its exit code.
    public static func result(_ result: ApplyResult) -> String {
        var line = Line(type: "result")
        line.exitCode = result.exitCode
        guard let report = result.report else {
            line.cancelled = true
            return line.rendered
        }
        line.converged = report.converged
        line.applied = report.applied.map(\.description)
        line.failed = report.failed.map(\.address.description)
        line.skipped = report.skipped.map(\.description)
        line.waiting = report.waiting.map(\.description)
        line.notStarted = report.notStarted.map(\.description)
        line.notes = report.notes
        return line.rendered
    }
}

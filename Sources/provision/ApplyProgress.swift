@preconcurrency import Glibc
import Foundation
import PlanModel
import Reconciler
import Synchronization

/// Prints apply events as one line per resource step; on a terminal, also a progress line (done/total, in flight,
/// elapsed) kept below them and redrawn in place with `\r`. To a file or pipe only whole lines go, never `\r`.
final class ApplyProgress: Sendable {
    struct Counts {
        var done = 0
        /// Steps started and not yet settled.
        var inFlight: Set<ResourceAddress> = []
        /// The progress line is on the screen now.
        var shown = false
    }

    /// The apply running in this process, so that lines written elsewhere (errors, notes) clear the live line first.
    static let running = Mutex<ApplyProgress?>(nil)

    static var current: ApplyProgress? { running.withLock { $0 } }

    let total: Int
    let live: Bool
    let started = ContinuousClock.now
    let counts = Mutex(Counts())

    /// - Parameter total: the plan's steps that do something (create, update, adopt, a person's step...).
    init(total: Int, live: Bool) {
        self.total = total
        self.live = live
    }

    /// Takes one event: counts it, prints its line (unless quiet; failures always), redraws the progress line.
    @Sendable func handle(_ event: ApplyEvent) {
        counts.withLock { counts in
            switch event {
            case .started(let change): counts.inFlight.insert(change.address)
            case .finished(let change, _, _), .failed(let change, _), .skipped(let change, _), .waiting(let change):
                counts.inFlight.remove(change.address)
                counts.done += 1
            case .personStep: break
            }
        }
        switch event {
        case .failed(let change, let failure):
            Terminal.error("\(change.address): failed: \(failure)")
        case .skipped(let change, let blocker):
            Terminal.error("\(change.address): skipped because \(blocker) failed")
        case .personStep:
            // A person must see where to go, even with --quiet.
            line(Self.line(for: event)!, always: true)
        default:
            if let text = Self.line(for: event) { line(text) }
        }
    }

    /// Prints a whole line above the progress line.
    func line(_ text: String, always: Bool = false) {
        guard always || !Terminal.style.quiet else {
            redraw()
            return
        }
        clearLine()
        print(text)
        redraw()
    }

    /// Draws the progress line again (on a terminal only), e.g. each second while a step waits.
    func redraw() {
        guard live else { return }
        let text = counts.withLock { counts in
            counts.shown = true
            return ProgressLine.text(done: counts.done, total: total, inFlight: counts.inFlight.count, elapsed: (ContinuousClock.now - started).seconds)
        }
        fputs("\r\u{1B}[K" + text, stdout)
        fflush(stdout)
    }

    /// Removes the progress line, so that the next text starts at the line's beginning.
    func clearLine() {
        guard live, counts.withLock({ $0.shown }) else { return }
        fputs("\r\u{1B}[K", stdout)
        fflush(stdout)
        counts.withLock { $0.shown = false }
    }

    /// Redraws the line every second until the returned task is cancelled.
    func ticking() -> Task<Void, Never>? {
        guard live else { return nil }
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if !Task.isCancelled { redraw() }
            }
        }
    }

    /// The line of an event on stdout; nil for those that go to stderr.
    static func line(for event: ApplyEvent) -> String? {
        switch event {
        case .started(let change):
            return "\(change.address): \(verb(change.action, done: false))..."
        case .finished(let change, let applied, let seconds):
            var line = "\(change.address): \(verb(change.action, done: true))"
            if let applied { line += " (id \(applied.remoteID)" + (applied.requestID.map { ", request \($0)" } ?? "") + ")" }
            return line + String(format: " [%.1fs]", seconds)
        case .waiting(let change):
            if change.action == .interactive {
                return "\(change.address): waits for a person (steps above); run apply again once they are done"
            }
            return "\(change.address): waits for a person (steps above); run `provision confirm \(change.address)` when done"
        case .personStep(let change, let step):
            return "\(change.address): a person must open \(step.url)" + (step.expiresAt.map { " (before \($0))" } ?? "")
        case .failed, .skipped:
            return nil
        }
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

    /// The final result: notes (unless quiet), how a stop left things, and the one summary line.
    static func printSummary(_ report: ApplyReport) {
        for note in report.notes { Terminal.info("note: \(note)") }
        if let signal = report.stoppedBy {
            print("Stopped by \(signal == SIGINT ? "SIGINT" : "SIGTERM") before these started (run apply again to finish): "
                + (report.notStarted.isEmpty ? "none" : report.notStarted.map(\.description).joined(separator: ", ")))
        }
        var parts = ["\(report.applied.count) applied"]
        if !report.failed.isEmpty { parts.append("\(report.failed.count) failed") }
        if !report.skipped.isEmpty { parts.append("\(report.skipped.count) skipped") }
        if !report.waiting.isEmpty { parts.append("\(report.waiting.count) waiting for a person") }
        if !report.notStarted.isEmpty { parts.append("\(report.notStarted.count) not started") }
        print("Apply \(report.converged ? "complete" : "incomplete"): " + parts.joined(separator: ", ") + ".")
    }
}

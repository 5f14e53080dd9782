@preconcurrency import Glibc
import ArgumentParser
import Foundation
import PlanModel
import Reconciler
import Rendering
import Synchronization

/// How an apply reports: lines for people, or one JSON object per line for CI.
enum ApplyFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Shows an apply as it runs: the plan, one line per resource step, and on a terminal a progress line (done/total,
/// in flight, elapsed) kept below them and redrawn in place with `\r`. To a file or pipe only whole lines go, never `\r`.
/// With `--format json`, one JSON object per step event and the result last, and nothing else on standard output.
final class ApplyProgress: Sendable {
    struct Counts {
        var done = 0
        var total = 0
        /// Steps started and not yet settled.
        var inFlight: Set<ResourceAddress> = []
        /// The progress line is on the screen now.
        var shown = false
        var ticker: Task<Void, Never>?
    }

    /// The apply running in this process, so that lines written elsewhere (errors, notes) clear the live line first.
    static let running = Mutex<ApplyProgress?>(nil)

    static var current: ApplyProgress? { running.withLock { $0 } }

    let format: ApplyFormat
    /// How the person ran apply: the commands its lines suggest are written for it.
    let invocation: Invocation
    let live: Bool
    let started = ContinuousClock.now
    let counts = Mutex(Counts())

    init(format: ApplyFormat, invocation: Invocation) {
        self.format = format
        self.invocation = invocation
        self.live = format == .text && Terminal.style.liveProgress
    }

    /// Runs `body` with this view as the running one; the live line is removed afterwards, whatever happens.
    func showing<T>(_ body: () async throws -> T) async throws -> T {
        ApplyProgress.running.withLock { $0 = self }
        defer {
            counts.withLock { $0.ticker?.cancel() }
            clearLine()
            ApplyProgress.running.withLock { $0 = nil }
        }
        return try await body()
    }

    /// Takes one event of the apply operation.
    @Sendable func handle(_ event: ApplyProgressEvent) {
        switch event {
        case .planned(let plan, let asking):
            counts.withLock { $0.total = plan.changes.filter(\.isChange).count }
            if format == .text, !Terminal.style.quiet || asking { Terminal.plan(PlanRenderer.text(plan) + "\n") }
        case .drift(let plan, let asking):
            if format == .text, !Terminal.style.quiet || asking { Terminal.plan(DriftReport.text(plan) + "\n") }
        case .step(let step):
            handle(step)
        }
    }

    func handle(_ event: ApplyEvent) {
        let startTicker = counts.withLock { counts -> Bool in
            switch event {
            case .started(let change): counts.inFlight.insert(change.address)
            case .finished(let change, _, _), .failed(let change, _), .skipped(let change, _), .waiting(let change):
                counts.inFlight.remove(change.address)
                counts.done += 1
            case .personStep: break
            }
            return live && counts.ticker == nil
        }
        if startTicker { counts.withLock { $0.ticker = ticking() } }
        if format == .json {
            Terminal.out(ApplyEventJSON.line(for: event))
            return
        }
        if let problem = ApplyEventText.problem(for: event) {
            Terminal.error(problem)
        } else if let text = ApplyEventText.line(for: event, invocation: invocation) {
            // A person must see where to go, even with --quiet.
            if case .personStep = event { line(text, always: true) } else { line(text) }
        }
    }

    /// Prints a whole line above the progress line.
    func line(_ text: String, always: Bool = false) {
        guard always || !Terminal.style.quiet else {
            redraw()
            return
        }
        clearLine()
        Terminal.out(text)
        redraw()
    }

    /// Draws the progress line again (on a terminal only), e.g. each second while a step waits.
    func redraw() {
        guard live else { return }
        let text = counts.withLock { counts in
            counts.shown = true
            return ProgressLine.text(done: counts.done, total: counts.total, inFlight: counts.inFlight.count, elapsed: (ContinuousClock.now - started).seconds)
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
    func ticking() -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if !Task.isCancelled { redraw() }
            }
        }
    }

    /// The final result: notes (unless quiet), how a stop left things, and the one summary line; in JSON, the result object.
    func finish(_ result: ApplyResult) {
        guard format == .text else {
            Terminal.out(ApplyEventJSON.result(result))
            return
        }
        guard let report = result.report else {
            print("Apply cancelled; nothing was changed.")
            return
        }
        for note in report.notes { Terminal.info("note: \(note)") }
        if let stopped = ApplyEventText.stopped(report) { Terminal.out(stopped) }
        Terminal.out(ApplyEventText.summary(report))
    }
}

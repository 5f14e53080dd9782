@preconcurrency import Glibc
import Foundation
import Reconciler
import Rendering
import Synchronization

/// On a terminal, a line below the prompt that says which providers a plan is still reading, redrawn each second
/// and removed before the plan prints. Nothing at all to a file or pipe, or with `--quiet`. Drawn with `\r` and
/// spaces only, no escape codes, so that `NO_COLOR` terminals see none.
final class PlanProgress: Sendable {
    struct Reading {
        var started: [String] = []
        var done: [String] = []
        /// The width of the line on the screen now; 0 when none is shown.
        var width = 0
    }

    let live: Bool
    let began = ContinuousClock.now
    let reading = Mutex(Reading())

    init() {
        live = Terminal.style.liveProgress
    }

    /// Runs `body` with the line kept up to date; the line is gone when it returns or throws.
    func showing<T>(_ body: (@escaping @Sendable (RefreshEvent) -> Void) async throws -> T) async throws -> T {
        guard live else { return try await body { _ in } }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if !Task.isCancelled { redraw() }
            }
        }
        defer {
            ticker.cancel()
            clear()
        }
        return try await body { [self] event in
            reading.withLock { reading in
                switch event {
                case .started(let provider): reading.started.append(provider)
                case .finished(let provider): reading.done.append(provider)
                }
            }
            redraw()
        }
    }

    func redraw() {
        let (text, previous) = reading.withLock { reading in
            let pending = reading.started.filter { !reading.done.contains($0) }.sorted()
            let text = RefreshLine.text(reading: pending, done: reading.done.count, total: reading.started.count, elapsed: (ContinuousClock.now - began).seconds)
            defer { reading.width = text.count }
            return (text, reading.width)
        }
        fputs("\r" + text + String(repeating: " ", count: max(0, previous - text.count)), stdout)
        fflush(stdout)
    }

    func clear() {
        let width = reading.withLock { reading in
            defer { reading.width = 0 }
            return reading.width
        }
        guard width > 0 else { return }
        fputs("\r" + String(repeating: " ", count: width) + "\r", stdout)
        fflush(stdout)
    }
}

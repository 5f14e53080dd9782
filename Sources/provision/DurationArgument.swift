import ArgumentParser
import Reconciler

/// A duration on the command line: `90`, `90s`, `500ms`, `2m` or `1h`; a bare number is seconds.
struct DurationArgument: ExpressibleByArgument, Sendable {
    let duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { argument.hasSuffix($0.0) && Double(argument.dropLast($0.0.count)) != nil }
        let number = Double(unit.map { String(argument.dropLast($0.0.count)) } ?? argument)
        guard let number, number >= 0 else { return nil }
        duration = .milliseconds(Int64(number * (unit?.1 ?? 1) * 1000))
    }

    static var defaultCompletionKind: CompletionKind { .default }

    /// How `--help` shows a default: `0s`, `30s`, `500ms`.
    var defaultValueDescription: String {
        let milliseconds = Int64(duration.seconds * 1000)
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}

/// Options of commands that write state.
struct LockOptions: ParsableArguments {
    @Option(help: "How long to wait for another command's state lock, e.g. 30s or 2m.")
    var lockTimeout = DurationArgument(.zero)
}

extension LockOptions {
    /// The engine's lock policy: wait this long, and say on standard error when a dead holder's lock is taken over.
    var policy: LockPolicy { LockPolicy(timeout: lockTimeout.duration, notice: Terminal.notice) }
}

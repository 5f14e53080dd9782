/// How output is shaped for where it goes: colour and a live progress line only on a terminal.
///
/// Invariant: output to a file or pipe never holds an escape code or a carriage return.
public struct TerminalStyle: Sendable, Equatable {
    /// ANSI colours on stdout.
    public var colour: Bool
    /// A progress line redrawn in place with `\r` during apply.
    public var liveProgress: Bool
    /// Only errors and the final result.
    public var quiet: Bool

    public init(colour: Bool, liveProgress: Bool, quiet: Bool) {
        self.colour = colour
        self.liveProgress = liveProgress
        self.quiet = quiet
    }

    /// Colour when stdout is a terminal, `TERM` is not `dumb`, `NO_COLOR` is unset or empty (no-color.org) and
    /// `--no-color` was not given; a live line when stdout is a terminal and not quiet.
    public static func decide(stdoutIsTerminal: Bool, environment: [String: String], noColour: Bool, quiet: Bool) -> TerminalStyle {
        let dumb = environment["TERM"] == "dumb"
        let refused = !(environment["NO_COLOR"] ?? "").isEmpty || noColour
        return TerminalStyle(colour: stdoutIsTerminal && !dumb && !refused, liveProgress: stdoutIsTerminal && !dumb && !quiet, quiet: quiet)
    }

    public static let plain = TerminalStyle(colour: false, liveProgress: false, quiet: false)
}

/// Colours a rendered plan's lines by their action symbol; the text is otherwise unchanged.
public enum PlanColourer {
    static let reset = "\u{1B}[0m"
    static let colours: [(prefix: String, code: String)] = [
        ("  -/+ ", "\u{1B}[33m"), ("  + ", "\u{1B}[32m"), ("  ~ ", "\u{1B}[33m"), ("  - ", "\u{1B}[31m"), ("  ! ", "\u{1B}[1;31m"),
        ("  ? ", "\u{1B}[36m"), ("  = ", "\u{1B}[34m"), ("  # ", "\u{1B}[2m"), ("  ≠ ", "\u{1B}[35m"), ("  ✓ ", "\u{1B}[32m"),
    ]

    public static func colour(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard let match = colours.first(where: { line.hasPrefix($0.prefix) }) else { return String(line) }
            return match.code + line + reset
        }.joined(separator: "\n")
    }

    /// `error:` in red, for standard error on a terminal.
    public static func error(_ line: String) -> String {
        "\u{1B}[31m" + line + reset
    }
}

/// The apply progress line: steps done of the total, calls in flight, time since apply started.
public enum ProgressLine {
    public static func text(done: Int, total: Int, inFlight: Int, elapsed: Double) -> String {
        "[\(done)/\(total) done, \(inFlight) in flight, \(Int(elapsed))s]"
    }
}

/// The plan's progress line while it refreshes: the providers still being read, and time since the plan started.
public enum RefreshLine {
    public static func text(reading: [String], done: Int, total: Int, elapsed: Double) -> String {
        "[reading \(reading.isEmpty ? "-" : reading.joined(separator: ", ")): \(done)/\(total) providers read, \(Int(elapsed))s]"
    }
}

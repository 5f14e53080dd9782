import ArgumentParser
@preconcurrency import Glibc
import Foundation
import Logging
import PlanModel
import Reconciler
import Rendering

/// Options every command takes for its output: colour, quiet, and logging to standard error.
struct OutputOptions: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "No colour, even on a terminal (as the NO_COLOR variable does).")
    var noColor = false

    @Flag(help: "Print only errors and the final result.")
    var quiet = false

    @Option(help: "Log to standard error through swift-log at this level and above; no level logs a secret.")
    var logLevel: Logger.Level = .warning
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Output helpers: results to stdout, problems to stderr, known errors turned into exit code 1.
///
/// Invariant: every line goes through `shown` on its way out: the process's `SecretScrubber` blanks every secret it
/// holds, and `TerminalEscape` makes every control character visible, so neither a secret nor an escape sequence from
/// a manifest, a bank or a file reaches the terminal, a pipe or a CI log. Colour and carriage returns (added after it)
/// go only to a terminal; with `--quiet`, only errors and results print.
enum Terminal {
    /// Set once by `run`, before any output and before any task starts; read-only afterwards.
    nonisolated(unsafe) static var style = TerminalStyle.plain
    /// `error:` lines in red: standard error is a terminal and colour is allowed.
    nonisolated(unsafe) static var colourErrors = false

    /// Text as it may leave the process: secrets blanked, controls other than line feeds escaped.
    static func shown(_ text: String) -> String {
        TerminalEscape.lines(SecretScrubber.process.scrub(text))
    }

    /// Prints a result on standard output, as `print` does.
    static func out(_ text: String, terminator: String = "\n") {
        print(shown(text), terminator: terminator)
    }

    static func error(_ text: String) {
        let line = shown(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        ApplyProgress.current?.clearLine()
        FileHandle.standardError.write(Data(((colourErrors ? PlanColourer.error(line) : line) + "\n").utf8))
        ApplyProgress.current?.redraw()
    }

    /// A line that is not the result (a step's progress, a note): left out with `--quiet`.
    static func info(_ text: String) {
        guard !style.quiet else { return }
        out(text)
    }

    /// A rendered plan, coloured on a terminal.
    static func plan(_ text: String) {
        let text = shown(text)
        print(style.colour ? PlanColourer.colour(text) : text, terminator: "")
    }

    /// What a manifest's load noticed, on standard error: warnings always, notes unless `--quiet`.
    static func notices(_ problems: [ManifestProblem]) {
        let shown = problems.filter { $0.severity == .warning || !style.quiet }
        guard !shown.isEmpty else { return }
        error(ErrorText.terminal(ManifestError(shown)))
    }

    /// Prints a state backend's notice (a lock taken over from a holder that died) as a note on standard error.
    static let notice: @Sendable (String) -> Void = { text in
        guard !Terminal.style.quiet else { return }
        Terminal.error("note: \(text)")
    }

    /// Decides colour, quiet and the live line from `options` and where stdout goes; sends swift-log to standard error.
    static func configure(_ options: OutputOptions) {
        let environment = ProcessInfo.processInfo.environment
        style = .decide(stdoutIsTerminal: isatty(STDOUT_FILENO) != 0, environment: environment, noColour: options.noColor, quiet: options.quiet)
        colourErrors = TerminalStyle.decide(
            stdoutIsTerminal: isatty(STDERR_FILENO) != 0, environment: environment, noColour: options.noColor, quiet: false
        ).colour
        SecretScrubber.process.enable()
        let level = options.logLevel
        LoggingSystem.bootstrap { label in
            var handler = ScrubbingLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
    }

    /// Runs a command body; a known error is printed as its message and becomes exit code 1.
    /// - Parameter invocation: how the person ran the command; the commands an error suggests are written for it.
    static func run(_ options: OutputOptions, invocation: Invocation = Invocation(), _ body: () async throws -> Void) async throws {
        // Every line reaches a file or pipe as it is printed, as it does on a terminal: CI reads it while we run.
        setvbuf(stdout, nil, _IOLBF, 0)
        AllocatorSettings.apply()
        configure(options)
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ManifestError {
            Terminal.error(ErrorText.terminal(error))
            let count = error.problems.filter { $0.severity != .note }.count
            Terminal.error("\(count) problem\(count == 1 ? "" : "s") found.")
            throw ExitCode.failure
        } catch let error as CleanExit {
            throw error
        } catch {
            Terminal.error("error: " + ErrorText.terminal(error, invocation: invocation))
            throw ExitCode.failure
        }
    }
}

/// A command's own refusal, printed as `error: …` with exit code 1.
struct CommandProblem: Error, CustomStringConvertible {
    let description: String
}

/// A log handler that blanks every secret the process holds and escapes control characters in each message and
/// metadata value before the handler it wraps writes them.
struct ScrubbingLogHandler: LogHandler {
    var base: StreamLogHandler

    init(_ base: StreamLogHandler) {
        self.base = base
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(TerminalEscape.field(SecretScrubber.process.scrub(event.message.description), limit: 4_000))"
        event.metadata = event.metadata?.mapValues { .string(TerminalEscape.field(SecretScrubber.process.scrub($0.description), limit: 1_000)) }
        base.log(event: event)
    }
}

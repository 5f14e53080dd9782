import ArgumentParser
@preconcurrency import Glibc
import Foundation
import PlanModel
import Reconciler

/// Output helpers: results to stdout, problems to stderr, known errors turned into exit code 1.
enum Terminal {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Prints a state backend's notice (a lock taken over from a holder that died) as a note on standard error.
    static let notice: @Sendable (String) -> Void = { Terminal.error("note: \($0)") }

    /// Runs a command body; a known error is printed as its message and becomes exit code 1.
    static func run(_ body: () async throws -> Void) async throws {
        // Every line reaches a file or pipe as it is printed, as it does on a terminal: CI reads it while we run.
        setvbuf(stdout, nil, _IOLBF, 0)
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ManifestError {
            Terminal.error(error.description)
            let count = error.problems.count
            Terminal.error("\(count) problem\(count == 1 ? "" : "s") found.")
            throw ExitCode.failure
        } catch let error as CleanExit {
            throw error
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// A command's own refusal, printed as `error: …` with exit code 1.
struct CommandProblem: Error, CustomStringConvertible {
    let description: String
}

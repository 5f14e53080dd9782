import Foundation
import Testing

/// Output to a pipe stays plain lines; on a terminal (a pseudo-terminal from util-linux `script`) apply draws its
/// progress line and colours the plan, unless NO_COLOR or --no-color says otherwise; --quiet leaves the result.
struct TerminalEndToEndTests {
    static let script = "/usr/bin/script"
    static let hasScript = FileManager.default.isExecutableFile(atPath: script)

    /// Runs the binary on a pseudo-terminal; what the terminal showed comes back as the output.
    func onTerminal(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> ProvisionBinary.Result {
        let binary = try ProvisionBinary()
        let command = ([binary.url.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.script)
        process.arguments = ["-qfec", command, "/dev/null"]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.filter { $0.key != "NO_COLOR" || environment[$0.key] != nil }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProvisionBinary.Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), errors: "")
    }

    @Test func applyIntoAPipeWritesPlainLinesWithoutCarriageReturnsOrEscapeCodes() throws {
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ProvisionBinary().run(["apply", "--auto-approve"], in: folder, environment: ["TERM": "xterm-256color"])
        #expect(result.status == 0, "\(result.errors)")
        for text in [result.output, result.errors] {
            #expect(!text.contains("\r") && !text.contains("\u{1B}"), "\(text.debugDescription)")
        }
        #expect(result.output.contains("\nfinan.bank_accounts.accounting: created (id "), "\(result.output)")
        #expect(result.output.hasSuffix("Apply complete: 2 applied.\n"))
    }

    @Test(.enabled(if: hasScript, "util-linux script is not installed, so no pseudo-terminal can be made"))
    func applyOnATerminalRedrawsAProgressLineAndColoursThePlan() throws {
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try onTerminal(["apply", "--auto-approve"], in: folder, environment: ["TERM": "xterm-256color"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("\r\u{1B}[K[2/2 done, 0 in flight, "), "\(result.output.debugDescription)")
        #expect(result.output.contains("\u{1B}[32m  + finan.bank_accounts.accounting will be created\u{1B}[0m"), "\(result.output.debugDescription)")
        #expect(result.output.contains("Apply complete: 2 applied."))
    }

    @Test(.enabled(if: hasScript, "util-linux script is not installed, so no pseudo-terminal can be made"))
    func planOnATerminalSaysWhichProvidersItIsReadingThenRemovesTheLine() throws {
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try onTerminal(["plan"], in: folder, environment: ["TERM": "xterm-256color"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("\r[reading finan: 0/1 providers read, "), "\(result.output.debugDescription)")
        let plan = try #require(result.output.range(of: "finan (finan-one)"))
        #expect(result.output[..<plan.lowerBound].hasSuffix("\r"), "the line is cleared before the plan: \(result.output.debugDescription)")
        let piped = try ProvisionBinary().run(["plan"], in: folder)
        #expect(!piped.output.contains("reading") && !piped.output.contains("\r"), "nothing of it goes to a pipe")
    }

    @Test(.enabled(if: hasScript, "util-linux script is not installed, so no pseudo-terminal can be made"),
          arguments: [(["plan"], ["NO_COLOR": "1"]), (["plan", "--no-color"], [:])])
    func noColorAndTheFlagTurnColourOffOnATerminal(arguments: [String], environment: [String: String]) throws {
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try onTerminal(arguments, in: folder, environment: environment.merging(["TERM": "xterm-256color"]) { $1 })
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("  + finan.bank_accounts.accounting will be created"))
        #expect(!result.output.contains("\u{1B}["), "\(result.output.debugDescription)")
    }

    @Test func quietPrintsOnlyTheResult() throws {
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = try ProvisionBinary()
        let plan = try binary.run(["plan", "--quiet"], in: folder)
        #expect(plan.output == "Plan: 2 to create, 0 to update, 0 to replace, 0 to delete.\n", "\(plan.output)")
        let apply = try binary.run(["apply", "--auto-approve", "--quiet"], in: folder)
        #expect(apply.status == 0)
        #expect(apply.output == "Apply complete: 2 applied.\n", "\(apply.output)")
        #expect(apply.errors.isEmpty, "\(apply.errors)")
        let broken = try binary.run(["plan", "--quiet", "no-such-folder"], in: folder)
        #expect(broken.status == 1)
        #expect(broken.errors.contains("Cannot read no-such-folder"), "errors still print: \(broken.errors)")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsCoverEveryCommandAndTheOutputOptions(shell: String) throws {
        let folder = FileManager.default.temporaryDirectory
        let result = try ProvisionBinary().run(["--generate-completion-script", shell], in: folder)
        #expect(result.status == 0, "\(result.errors)")
        for word in ["import", "graph", "apply", "log-level", "no-color", "quiet", "mermaid", "critical"] {
            #expect(result.output.contains(word), "the \(shell) script does not complete \(word)")
        }
    }
}

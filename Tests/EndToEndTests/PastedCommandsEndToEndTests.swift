import Foundation
import Testing

/// Every command plan, apply and runbook print for a person to run next works when pasted: it runs from the folder the
/// first command ran in, whether that is the repository's root (the manifest named by its path) or the manifest's own
/// folder.
struct PastedCommandsEndToEndTests {
    /// One example under `examples/` of a temporary repository, and how to run it.
    struct Scenario: Sendable {
        var example: String
        var environment: String?
        /// Edits the copied manifest so it runs against the embedded sandbox.
        var edit: @Sendable (String) -> String = { $0 }
        var variables: [String: String] = [:]
    }

    static let scenarios = [
        Scenario(example: "finan-portal-steps"),
        // UAT's gates and person steps, with UAT's endpoint replaced by the embedded sandbox.
        Scenario(
            example: "icici-go-live", environment: "uat",
            edit: { $0.replacingOccurrences(of: "endpoint: https://apigwuat.icicibank.com:8443", with: "endpoint: sandbox") },
            variables: ["ICICI_API_KEY": "acme-sandbox-key"]),
    ]

    /// Every `provision SUBCOMMAND …` command in `text`, up to a closing backtick or the end of its line.
    static func commands(in text: String) -> [String] {
        let command = /provision (?:confirm|consent|apply|plan|drift|validate|check|state|import|graph|runbook)\b[^`\n]*/
        return text.matches(of: command).map { String($0.output).trimmingCharacters(in: .whitespaces) }
    }

    /// The words of a command as a POSIX shell splits them: blanks separate, single quotes keep what they hold.
    static func words(_ command: String) -> [String] {
        var words: [String] = [], current = "", quoted = false, started = false
        for character in command {
            if character == "'" {
                quoted.toggle()
                started = true
            } else if character == " ", !quoted {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        if started { words.append(current) }
        return words
    }

    /// A temporary repository holding the example under `examples/`, edited as the scenario says.
    static func repository(for scenario: Scenario) throws -> (root: URL, manifest: URL) {
        let copy = try copyOfExample(scenario.example)
        let manifest = copy.appendingPathComponent("examples/\(scenario.example)")
        try FileManager.default.createDirectory(at: manifest, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: copy.path) where file != "examples" {
            try FileManager.default.moveItem(at: copy.appendingPathComponent(file), to: manifest.appendingPathComponent(file))
        }
        let file = manifest.appendingPathComponent("bank.yaml")
        try scenario.edit(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        return (copy, manifest)
    }

    /// Runs plan, apply and runbook in `folder` (naming the manifest by `path`, or not at all), then every command they
    /// printed, from the same folder. Returns what was printed and each pasted command with its result.
    static func pasteEverything(_ scenario: Scenario, in folder: URL, path: String?) throws -> (printed: String, pasted: [(String, ProvisionBinary.Result)]) {
        let binary = try ProvisionBinary()
        let place = (path.map { [$0] } ?? []) + (scenario.environment.map { ["--env", $0] } ?? [])
        let plan = try binary.run(["plan"] + place, in: folder, environment: scenario.variables)
        let apply = try binary.run(["apply", "--auto-approve"] + place, in: folder, environment: scenario.variables)
        let runbook = try binary.run(["runbook"] + place, in: folder, environment: scenario.variables)
        let printed = plan.output + plan.errors + apply.output + apply.errors + runbook.output + runbook.errors
        let commands = Array(Set(commands(in: printed))).sorted()
        let pasted = try commands.map { command in
            (command, try binary.run(Array(words(command).dropFirst()), in: folder, environment: scenario.variables))
        }
        return (printed, pasted)
    }

    @Test(arguments: [false, true])
    func everyCommandPlanAndApplyPrintRunsWhenPasted(fromTheManifestsFolder: Bool) throws {
        for scenario in Self.scenarios {
            let (root, manifest) = try Self.repository(for: scenario)
            defer { try? FileManager.default.removeItem(at: root) }
            let (printed, pasted) = try fromTheManifestsFolder
                ? Self.pasteEverything(scenario, in: manifest, path: nil)
                : Self.pasteEverything(scenario, in: root, path: "examples/\(scenario.example)")
            #expect(pasted.contains { $0.0.hasPrefix("provision confirm ") }, "\(scenario.example) prints a confirm command: \(printed)")
            #expect(pasted.contains { $0.0.hasPrefix("provision apply") || $0.0.hasPrefix("provision plan") }, "the runbook's record commands: \(printed)")
            for (command, result) in pasted {
                // An apply pasted without --auto-approve and without a terminal plans, then stops to ask (or for a gate).
                let ran = command.hasPrefix("provision apply") ? result.output.contains("Plan: ") : result.status == 0
                #expect(ran, "\(scenario.example): `\(command)` exited \(result.status): \(result.output)\(result.errors)")
                if let environment = scenario.environment { #expect(command.contains("--env \(environment)"), "\(command)") }
                #expect(command.contains("examples/") != fromTheManifestsFolder, "the path only when one was given: \(command)")
            }
        }
    }

    @Test func aPathWithASpaceIsQuotedForTheShell() throws {
        let scenario = Scenario(example: "finan-portal-steps")
        let (root, manifest) = try Self.repository(for: scenario)
        defer { try? FileManager.default.removeItem(at: root) }
        let spaced = root.appendingPathComponent("examples/portal steps")
        try FileManager.default.moveItem(at: manifest, to: spaced)
        let (_, pasted) = try Self.pasteEverything(scenario, in: root, path: "examples/portal steps")
        #expect(pasted.contains { $0.0.contains("'examples/portal steps'") })
        for (command, result) in pasted { #expect(result.status == 0, "`\(command)`: \(result.errors)") }
    }
}

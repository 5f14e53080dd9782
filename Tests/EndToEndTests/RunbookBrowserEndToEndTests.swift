import Foundation
import Testing

/// The runbook's HTML page in a real headless Chromium: it shows every step the JSON runbook lists, in the same order
/// with the same statuses, and loads nothing from elsewhere (no resource, no script, no link).
///
/// `Browser/check_runbook.py` drives Debian's Chromium through chromedriver with selenium; `.ci/run` installs all three.
@Suite(.timeLimit(.minutes(3)), .enabled(if: BrowserTools.missing == nil, BrowserTools.skipReason))
struct RunbookBrowserEndToEndTests {
    static let script = HelperTool.repository.appendingPathComponent("Tests/EndToEndTests/Browser/check_runbook.py")

    @Test func theRunbookPageShowsItsStepsAndLoadsNothingExternal() throws {
        let scenario = PastedCommandsEndToEndTests.scenarios[1]
        let (root, manifest) = try PastedCommandsEndToEndTests.repository(for: scenario)
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try ProvisionBinary()
        let arguments = ["runbook", "--env", "uat", "examples/\(scenario.example)"]
        let html = try binary.run(arguments + ["--format", "html"], in: root, environment: scenario.variables)
        #expect(html.status == 0, "\(html.errors)")
        let json = try binary.run(arguments + ["--format", "json"], in: root, environment: scenario.variables)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any], "\(json.errors)")
        let steps = try #require(document["steps"] as? [[String: Any]])
        let page = manifest.appendingPathComponent("runbook.html")
        try html.output.write(to: page, atomically: true, encoding: .utf8)

        let python = try #require(HelperTool.python)
        let seen = try python.run([Self.script.path, page.path])
        #expect(seen.status == 0, "\(seen.output)\(seen.errors)")
        let shown = seen.output.split(separator: "\n").filter { $0.hasPrefix("step: ") }.map { line in
            line.split(separator: " ").dropFirst().prefix(2).joined(separator: " ")
        }
        #expect(shown == steps.map { "\($0["address"] as? String ?? "") \($0["status"] as? String ?? "")" }, "\(seen.output)")
        #expect(shown.first == "gate.uat-onboarding-request pending" && shown.count == steps.count && steps.count > 3)
        #expect(seen.output.contains("summary: \(document["summary"] as? String ?? "?")"))
        #expect(seen.output.contains("resources: 0\n") && seen.output.contains("scripts: 0\n") && seen.output.contains("links: 0\n"), "\(seen.output)")
    }
}

import Foundation
import PlanModel
import Rendering
import Testing

/// The runbook's three views: each matches its golden file, all three show the same steps in the same order with the
/// same statuses, and text from a bank, state or the manifest cannot become markup in any of them.
struct RunbookRendererTests {
    static let invocation = Invocation(manifestPath: "examples/icici go-live", environment: "uat")

    static var runbook: Runbook {
        let confirmed = Confirmation(by: "alice", at: "2025-03-04T10:00:00Z", note: "TICKET-42 <script>alert(1)</script>")
        return Runbook(
            environment: "uat", manifestPath: invocation.manifestPath,
            steps: [
                RunbookStep(
                    address: "gate.nda-signed", kind: .gate, provider: nil, instructions: ["Sign the bank's NDA."], owner: "legal",
                    status: RunbookStatus(state: .done, confirmation: confirmed), record: invocation.confirm("gate.nda-signed"),
                    unblocks: ["icici.cib_registrations.ops"]),
                RunbookStep(
                    address: "gate.uat-keys-received", kind: .gate, provider: nil, instructions: ["Receive the UAT keys by e-mail."],
                    owner: nil, status: RunbookStatus(state: .pending), record: invocation.confirm("gate.uat-keys-received"),
                    unblocks: ["icici.cib_registrations.ops"]),
                RunbookStep(
                    address: "icici.applications.payments", kind: .manual, provider: "icici",
                    instructions: ["Add application acme-payments in the portal.", "Record it: " + invocation.confirm("icici.applications.payments")],
                    owner: "payments-ops",
                    status: RunbookStatus(state: .pending, evidence: [
                        "✓ api CIB Registration: verified by probe (POST /reg answered HTTP 200)",
                        "✗ api CIB Registration Status: missing (<img src=x onerror=alert(1)> [link](http://evil.example) @team)",
                    ]),
                    record: invocation.confirm("icici.applications.payments"), unblocks: ["icici.cib_registrations.ops"]),
                RunbookStep(
                    address: "icici.cib_registrations.ops", kind: .interactive, provider: "icici", instructions: ["The corporate user approves in CIB."],
                    owner: nil, status: RunbookStatus(state: .waiting, waitsFor: ["icici.applications.payments"]), record: invocation.apply, unblocks: []),
                RunbookStep(
                    address: "finan.webhook", kind: .manual, provider: "finan", instructions: ["Enter the webhook URL in the portal."],
                    owner: "platform | ops", status: RunbookStatus(state: .done, confirmation: Confirmation(by: "bob", at: "2025-03-05T09:00:00Z")),
                    record: invocation.confirm("finan.webhook"), unblocks: []),
                RunbookStep(
                    address: "sepay.bank_links.acme-main", kind: .interactive, provider: "sepay", instructions: ["Link the account on the hosted page."],
                    owner: nil, status: RunbookStatus(state: .pending, verified: false), record: invocation.apply, unblocks: []),
            ],
            unverified: [UnverifiedProvider(provider: "sepay", reason: "could not be read: connection refused <b>\u{1b}[31m</b>")])
    }

    @Test func markdownMatchesItsGoldenFile() throws {
        try GoldenFile.check(RunbookRenderer.markdown(Self.runbook), "runbook.md")
    }

    @Test func htmlMatchesItsGoldenFile() throws {
        try GoldenFile.check(RunbookRenderer.html(Self.runbook), "runbook.html")
    }

    @Test func jsonMatchesItsGoldenFile() throws {
        try GoldenFile.check(RunbookRenderer.json(Self.runbook), "runbook.json")
    }

    /// The (address, status) pairs each view shows, in its order, read back from the rendered text.
    static func shown(markdown: String) -> [String] {
        markdown.matches(of: /\n## \d+\. `([^`]+)` · [^·]+ · ([a-z]+)/).map { "\($0.1) \($0.2)" }
    }

    static func shown(html: String) -> [String] {
        html.matches(of: /<li class="step [a-z]+" data-address="([^"]+)" data-status="([a-z]+)">/).map { "\($0.1) \($0.2)" }
    }

    static func shown(json: String) throws -> [String] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let steps = try #require(document["steps"] as? [[String: Any]])
        return steps.map { "\($0["address"] as? String ?? "?") \($0["status"] as? String ?? "?")" }
    }

    @Test func theThreeViewsShowTheSameStepsInTheSameOrderWithTheSameStatuses() throws {
        let runbook = Self.runbook
        let expected = runbook.steps.map { "\($0.address) \($0.status.state.rawValue)" }
        let markdown = RunbookRenderer.markdown(runbook), html = RunbookRenderer.html(runbook), json = RunbookRenderer.json(runbook)
        #expect(Self.shown(markdown: markdown) == expected)
        #expect(Self.shown(html: html) == expected)
        #expect(try Self.shown(json: json) == expected)
        let command = "provision confirm gate.uat-keys-received 'examples/icici go-live' --env uat"
        for text in [markdown, html, json] {
            #expect(text.contains("2 of 6 done"))
            #expect(text.contains(text == html ? command.replacingOccurrences(of: "'", with: "&#39;") : command), "\(text)")
            #expect(text.contains("TICKET-42"))
        }
    }

    @Test func textFromOutsideIsNoMarkup() {
        let html = RunbookRenderer.html(Self.runbook)
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>") && !html.contains("\u{1b}"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains("src=\"http") && !html.contains("href="), "the page loads and links nothing")
        let markdown = RunbookRenderer.markdown(Self.runbook)
        #expect(!markdown.contains("<img") && !markdown.contains("<script") && !markdown.contains("[link](") && !markdown.contains("\u{1b}"))
        #expect(!RunbookRenderer.json(Self.runbook).contains("\u{1b}"))
    }
}

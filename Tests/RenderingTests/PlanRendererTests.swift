import Foundation
import PlanModel
import Testing
import Rendering

struct PlanRendererTests {
    func address(_ kind: String, _ name: String? = nil) -> ResourceAddress {
        ResourceAddress(instance: "finan", kind: kind, name: name)
    }

    var plan: Plan {
        let master = address("master_accounts", "main")
        return Plan(
            changes: [
                Change(address: master, action: .check, remoteID: "m1"),
                Change(address: address("master_accounts", "ops"), action: .missing, steps: ["Register account 0123 in the portal.", "Then run plan again."]),
                Change(
                    address: address("bank_accounts", "accounting"), action: .create,
                    attributeChanges: [
                        AttributeChange(name: "account_name", before: nil, after: .string("KE TOAN")),
                        AttributeChange(name: "master", before: nil, after: .string("main")),
                    ],
                    dependencies: [master]),
                Change(
                    address: address("bank_accounts", "payroll"), action: .replace, remoteID: "b2",
                    attributeChanges: [AttributeChange(name: "account_name", before: .string("LUONG"), after: .string("LUONG 2"), forcesReplacement: true)],
                    dependencies: [master]),
                Change(address: address("bank_accounts", "sales"), action: .adopt, remoteID: "b3", reason: "exists at the bank as b3 but not in state"),
                Change(address: address("bank_accounts", "tax"), action: .conflict, reason: "several objects at the bank match: x, y"),
                Change(address: address("bank_accounts", "ops"), action: .noop, remoteID: "b4"),
                Change(address: address("bank_accounts", "old"), action: .forget, remoteID: "b5", reason: "left the manifest; the bank has no API to delete it, so it is dropped from state",
                       steps: ["Close bank account VQR1 by hand."]),
                Change(address: address("bank_accounts", "kept"), action: .orphan, remoteID: "b6", reason: "left the manifest; plan and apply with --allow-delete to delete it"),
                Change(address: ResourceAddress(instance: "sepay", kind: "companies", name: "acme"), action: .update, remoteID: "c1",
                       attributeChanges: [AttributeChange(name: "status", before: .string("Pending"), after: .string("Active"))]),
                Change(address: ResourceAddress(instance: "sepay", kind: "webhook"), action: .delete, remoteID: "w1", reason: "left the manifest"),
                Change(address: ResourceAddress(instance: "sepay", kind: "bank_links", name: "main"), action: .interactive,
                       steps: ["Open the hosted link URL apply prints."]),
                Change(
                    address: address("webhook"), action: .manual,
                    attributeChanges: [AttributeChange(name: "secret", before: nil, after: .sensitive(Sensitive("hunter2")))],
                    steps: ["Open the portal.", "Record it: provision confirm finan.webhook"]),
            ],
            providers: ["finan": "finan-one", "sepay": "sepay-bankhub"],
            drift: [
                Drift(address: address("bank_accounts", "ops"), gone: false,
                      attributeChanges: [AttributeChange(name: "account_name", before: .string("OPS"), after: .string("OPS 2"))]),
                Drift(address: address("master_accounts", "main"), gone: true, attributeChanges: []),
            ],
            environment: "staging")
    }

    func matchesGolden(_ rendered: String, _ name: String) throws {
        try GoldenFile.check(rendered, name)
        #expect(!rendered.contains("hunter2"))
    }

    @Test func jsonRenderMatchesGoldenFile() throws {
        let rendered = PlanRenderer.json(plan)
        try matchesGolden(rendered, "plan.json")
        let document = try JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [String: Any]
        #expect(document?["format_version"] as? String == "1.0")
        #expect((document?["resource_changes"] as? [Any])?.count == plan.changes.count)
    }

    @Test func markdownRenderMatchesGoldenFile() throws {
        try matchesGolden(PlanRenderer.markdown(plan), "plan.md")
    }

    @Test func longMarkdownIsCutWithACount() {
        let short = PlanRenderer.markdown(plan, limit: 1200)
        #expect(short.count <= 1400)
        #expect(short.contains("cut to fit"))
        #expect(short.hasPrefix("### provision plan (staging)\n\n**Plan: 1 to create"))
    }

    /// 3,000 creates as the benchmark's manifest makes them: the whole Markdown would be about 200,000 characters.
    static func creates(_ count: Int, name: (Int) -> String = { "ACCOUNT \($0)" }) -> Plan {
        let master = ResourceAddress(instance: "finan", kind: "master_accounts", name: "main")
        let changes = (1...count).map { index in
            Change(
                address: ResourceAddress(instance: "finan", kind: "bank_accounts", name: "a\(index)"), action: .create,
                attributeChanges: [
                    AttributeChange(name: "account_name", before: nil, after: .string(name(index))),
                    AttributeChange(name: "master", before: nil, after: .string("main")),
                ],
                dependencies: [master])
        }
        return Plan(changes: changes, providers: ["finan": "finan-one"])
    }

    @Test func theMarkdownOfThreeThousandCreatesFitsAComment() throws {
        let plan = Self.creates(3000)
        let markdown = PlanRenderer.markdown(plan)
        #expect(markdown.utf8.count <= 60_000 && markdown.count <= 60_000)
        #expect(markdown.hasPrefix("### provision plan\n\n**Plan: 3000 to create, 0 to update, 0 to replace, 0 to delete.**\n"))
        // The table's first rows: the first changes in the plan's order.
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| + | `") }
        #expect(rows.count > 500)
        #expect(rows.map { $0.split(separator: "`")[1] } == plan.changes.prefix(rows.count).map { Substring($0.address.description) })
        #expect(markdown.contains("\n_Left out, cut to fit a pull-request comment: \(3000 - rows.count) of the table's 3000 rows and the details of 3000 of 3000 changes."))
        #expect(markdown.contains("`provision plan --out FILE`") && markdown.contains("`provision plan --format json`"))
        let text = PlanRenderer.text(plan)
        #expect(text.components(separatedBy: " will be created\n").count - 1 == 3000)
    }

    @Test func everyRowStaysWhenOnlyTheDetailsDoNotFit() {
        let markdown = PlanRenderer.markdown(Self.creates(400))
        #expect(markdown.utf8.count <= 60_000)
        #expect(markdown.split(separator: "\n").filter { $0.hasPrefix("| + | `") }.count == 400)
        #expect(!markdown.contains("<details>"))
        #expect(markdown.contains("\n_Left out, cut to fit a pull-request comment: the details of 400 of 400 changes."))
    }

    @Test func aCommentOfWideCharactersStaysWithinTheLimitInBytes() {
        let markdown = PlanRenderer.markdown(Self.creates(3000) { "TÀI KHOẢN THANH TOÁN \($0) ✓" }, limit: 20_000)
        #expect(markdown.utf8.count <= 20_000)
        #expect(markdown.contains("of the table's 3000 rows"))
    }

    @Test func textRenderMatchesGoldenFile() throws {
        try matchesGolden(PlanRenderer.text(plan), "plan.txt")
    }

    @Test func emptyPlanSaysNothingToChange() {
        let plan = Plan(changes: [Change(address: address("bank_accounts", "a"), action: .noop)], providers: ["finan": "finan-one"])
        #expect(PlanRenderer.text(plan) == "finan (finan-one)\n    1 unchanged\n\nNo changes. The bank setup matches the manifest.\n")
    }
}

/// Values that hold control characters cannot move the terminal's cursor or pass for plan lines.
struct PlanRendererEscapingTests {
    @Test func controlCharactersInValuesAreEscapedInTextAndMarkdown() {
        let address = ResourceAddress(instance: "bank", kind: "accounts", name: "a")
        let sneaky = Value.string("PAYROLL\n  + bank.accounts.fake\u{1b}[2J\u{202e}")
        let plan = Plan(
            changes: [Change(address: address, action: .create, attributeChanges: [AttributeChange(name: "name", before: nil, after: sneaky)])],
            providers: ["bank": "test-bank"])
        for rendered in [PlanRenderer.text(plan), PlanRenderer.markdown(plan)] {
            #expect(!rendered.contains("\u{1b}") && !rendered.contains("\u{202e}"))
            #expect(!rendered.contains("\n  + bank.accounts.fake"))
            #expect(rendered.contains("PAYROLL\\u{a}  + bank.accounts.fake\\u{1b}[2J\\u{202e}"))
        }
    }
}

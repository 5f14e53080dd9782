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
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["PROVISION_RECORD_GOLDEN"] == "1" {
            try rendered.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(rendered == (try String(contentsOf: golden, encoding: .utf8)), "re-record with PROVISION_RECORD_GOLDEN=1 if the change is meant")
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

import Foundation
import Testing

/// `provision drift` and plan formats through the built binary.
struct DriftEndToEndTests {
    @Test func changesMadeAtTheBankAreDriftAndManifestChangesAreNot() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try binary.run(["apply", "--auto-approve", "."], in: folder).status == 0)

        let clean = try binary.run(["drift", "."], in: folder)
        #expect(clean.status == 0, "\(clean.output)\(clean.errors)")
        #expect(clean.output.contains("No drift"))

        let manifest = folder.appendingPathComponent("bank.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "account_name: KE TOAN }", with: "account_name: KE TOAN MOI }").write(to: manifest, atomically: true, encoding: .utf8)
        let notDrift = try binary.run(["drift", "."], in: folder)
        #expect(notDrift.status == 0, "a manifest change is not drift: \(notDrift.output)")
        try text.write(to: manifest, atomically: true, encoding: .utf8)

        let world = folder.appendingPathComponent(".provision/sandbox/finan.json")
        let saved = try String(contentsOf: world, encoding: .utf8)
        #expect(saved.contains("\"account_name\" : \"LUONG\""))
        try saved.replacingOccurrences(of: "\"account_name\" : \"LUONG\"", with: "\"account_name\" : \"LUONG CU\"")
            .write(to: world, atomically: true, encoding: .utf8)

        let drift = try binary.run(["drift", "."], in: folder)
        #expect(drift.status == 2, "\(drift.output)\(drift.errors)")
        #expect(drift.output.contains("≠ finan.bank_accounts.payroll changed at the bank"))
        #expect(drift.output.contains("account_name: \"LUONG\" → \"LUONG CU\""))

        let json = try binary.run(["plan", "--format", "json", "."], in: folder)
        let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let driftList = document?["drift"] as? [[String: Any]]
        #expect(driftList?.first?["address"] as? String == "finan.bank_accounts.payroll")
        let changes = document?["resource_changes"] as? [[String: Any]]
        #expect(changes?.first { $0["address"] as? String == "finan.bank_accounts.payroll" }?["action"] as? String == "replace")

        let markdown = try binary.run(["plan", "--format", "markdown", "."], in: folder)
        #expect(markdown.output.hasPrefix("### provision plan\n\n**Plan: 0 to create, 0 to update, 1 to replace, 0 to delete.**"))
        let driftMarkdown = try binary.run(["drift", "--format", "markdown", "."], in: folder)
        #expect(driftMarkdown.status == 2)
        #expect(driftMarkdown.output.hasPrefix("### provision drift\n\n"), "\(driftMarkdown.output)")
        #expect(driftMarkdown.output.contains("| ≠ | `finan.bank_accounts.payroll` | drift |"))
    }
}

/// `plan --out` then `apply --plan`, through the built binary.
struct SavedPlanEndToEndTests {
    @Test func savedPlanAppliesOnceAndIsThenRefusedAsStale() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let planned = try binary.run(["plan", "--out", "saved.json", "."], in: folder)
        #expect(planned.status == 0, "\(planned.errors)")

        let applied = try binary.run(["apply", "--plan", "saved.json"], in: folder)
        #expect(applied.status == 0, "\(applied.output)\(applied.errors)")
        #expect(applied.output.contains("Apply complete: 2 applied."))

        let again = try binary.run(["apply", "--plan", "saved.json"], in: folder)
        #expect(again.status == 1)
        #expect(again.errors.contains("is stale and was not applied"))
        #expect(again.errors.contains("the state changed since the plan was saved (there was none then)"))
    }
}

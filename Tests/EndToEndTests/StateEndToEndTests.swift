import Foundation
import Testing

/// State commands and the state lock, through the built binary.
struct StateEndToEndTests {
    @Test func lockedStateRefusesApplyUntilUnlocked() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let stateFolder = folder.appendingPathComponent(".provision")
        try FileManager.default.createDirectory(at: stateFolder, withIntermediateDirectories: true)
        let lock = #"{"id":"dead-lock","owner":"ci","host":"runner-7","pid":4242,"operation":"apply","created":"2026-01-01T00:00:00Z"}"#
        try lock.write(to: stateFolder.appendingPathComponent("state.lock"), atomically: true, encoding: .utf8)

        let refused = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("State is locked"))
        #expect(refused.errors.contains("ci@runner-7 (pid 4242) running apply since 2026-01-01T00:00:00Z, lock id dead-lock"))
        #expect(!FileManager.default.fileExists(atPath: stateFolder.appendingPathComponent("state.json").path))

        let wrong = try binary.run(["state", "unlock", "other-id", "."], in: folder)
        #expect(wrong.status == 1)
        // The refusal names the exact command, with the holder's lock id; pasted, it runs.
        #expect(refused.errors.contains("run `provision state unlock dead-lock`."), "\(refused.errors)")
        let unlocked = try binary.run(["state", "unlock", "dead-lock"], in: folder)
        #expect(unlocked.status == 0, "\(unlocked.errors)")

        let apply = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(apply.status == 0, "\(apply.errors)")
        #expect(!FileManager.default.fileExists(atPath: stateFolder.appendingPathComponent("state.lock").path))

        let list = try binary.run(["state", "list", "."], in: folder)
        #expect(list.output.split(separator: "\n").map { String($0.split(separator: " ")[0]) } == [
            "finan.bank_accounts.accounting", "finan.bank_accounts.payroll", "finan.master_accounts.main",
        ])
        let show = try binary.run(["state", "show", "finan.bank_accounts.payroll", "."], in: folder)
        #expect(show.output.contains("  account_name: \"LUONG\""))
        #expect(show.output.contains("  remote_id: "))
        #expect(FileManager.default.fileExists(atPath: stateFolder.appendingPathComponent("state.json.backup").path))
    }

    /// The embedded sandbox is the bank, not state: moving the state to a folder leaves the simulated bank where it was.
    @Test func aStateMigratedToAFolderPlansNoChangesFromThere() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let applied = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(applied.status == 0, "\(applied.output)\(applied.errors)")
        let moved = folder.appendingPathComponent("moved-state")
        let migrate = try binary.run(["state", "migrate", "--to", moved.path, "."], in: folder)
        #expect(migrate.status == 0, "\(migrate.output)\(migrate.errors)")

        let plan = try binary.run(["plan", "--detailed-exitcode", "--state", moved.path, "."], in: folder)
        #expect(plan.status == 0, "\(plan.output)\(plan.errors)")
        #expect(!plan.output.contains("gone from the bank"))
        #expect(!FileManager.default.fileExists(atPath: moved.appendingPathComponent("sandbox").path), "the simulated bank stays beside the manifest")
    }

    /// A state an older version wrote may hold what a bank showed of a secret (SePay's `***` and its last four
    /// characters); `state show` prints no character of it.
    @Test func stateShowPrintsNoCharacterOfASecretAnOlderStateKept() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("sepay-bank-link")
        defer { try? FileManager.default.removeItem(at: folder) }
        let stateFolder = folder.appendingPathComponent(".provision")
        try FileManager.default.createDirectory(at: stateFolder, withIntermediateDirectories: true)
        try """
            {"format_version": 1, "lineage": "legacy", "serial": 1, "resources": {
              "sepay.webhook": {"remote_id": "hook-1", "attributes": {"url": "https://hooks.example.com/bankhub", "secret": "***wxyz"}}}}
            """.write(to: stateFolder.appendingPathComponent("state.json"), atomically: true, encoding: .utf8)

        let show = try binary.run(["state", "show", "sepay.webhook", "."], in: folder)
        #expect(show.status == 0, "\(show.errors)")
        #expect(show.output.contains("  secret: (sensitive)"), "\(show.output)")
        #expect(show.output.contains("  url: "), "\(show.output)")
        #expect(!show.output.contains("wxyz"), "\(show.output)")
    }
}

struct DeleteEndToEndTests {
    @Test func removedAccountIsKeptThenRemovedByHandUnlessProtected() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("bank.yaml")
        let original = try String(contentsOf: manifest, encoding: .utf8)
        try original.replacingOccurrences(of: "account_name: LUONG }", with: "account_name: LUONG, protect: true }")
            .write(to: manifest, atomically: true, encoding: .utf8)
        #expect(try binary.run(["apply", "--auto-approve", "."], in: folder).status == 0)

        let withoutPayroll = original.split(separator: "\n").filter { !$0.contains("payroll") && !$0.contains("accounting") }.joined(separator: "\n")
        try withoutPayroll.write(to: manifest, atomically: true, encoding: .utf8)

        let kept = try binary.run(["plan", "--detailed-exitcode", "."], in: folder)
        #expect(kept.status == 0, "\(kept.output)")
        #expect(kept.output.contains("# finan.bank_accounts.accounting is kept"))

        let apply = try binary.run(["apply", "--auto-approve", "--allow-delete", "."], in: folder)
        #expect(apply.status == 0, "\(apply.output)\(apply.errors)")
        #expect(apply.output.contains("- finan.bank_accounts.accounting will be removed from state"))
        #expect(apply.output.contains("Finan One has no API to close bank account"))
        #expect(apply.output.contains("# finan.bank_accounts.payroll is kept"))
        #expect(apply.output.contains("protect: true"))

        let list = try binary.run(["state", "list", "."], in: folder)
        #expect(!list.output.contains("finan.bank_accounts.accounting"))
        #expect(list.output.contains("finan.bank_accounts.payroll"))
    }
}

/// The apply journal: an intent line before each bank call, an outcome line after it.
struct JournalEndToEndTests {
    @Test func applyWritesIntentThenOutcomeWithRequestIDs() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try binary.run(["apply", "--auto-approve", "."], in: folder).status == 0)
        let journals = folder.appendingPathComponent(".provision/journal")
        let files = try FileManager.default.contentsOfDirectory(atPath: journals.path).filter { $0.hasSuffix(".jsonl") }
        #expect(files.count == 1)
        let lines = try String(contentsOf: journals.appendingPathComponent(files[0]), encoding: .utf8).split(separator: "\n")
        let entries = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(entries.count == 4)
        for address in ["finan.bank_accounts.accounting", "finan.bank_accounts.payroll"] {
            let mine = entries.filter { $0["address"] as? String == address }
            #expect(mine.map { $0["entry"] as? String } == ["intent", "outcome"])
            #expect((mine.last?["request_id"] as? String)?.count == 32)
            #expect(mine.last?["outcome"] as? String == "applied")
        }
        #expect(!lines.joined().contains("sandbox-secret-key"))
    }

    @Test func applyStreamsJSONEventsAndStateJournalShowsTheLines() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let applied = try binary.run(["apply", "--auto-approve", "--format", "json", "."], in: folder)
        #expect(applied.status == 0, "\(applied.errors)")
        let objects = try applied.output.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.filter { $0["type"] as? String == "finished" }.count == 2)
        let result = try #require(objects.last)
        #expect(result["type"] as? String == "result" && result["exit_code"] as? Int == 0 && result["converged"] as? Bool == true)
        #expect((result["applied"] as? [String])?.count == 2)
        let journal = try binary.run(["state", "journal", "."], in: folder)
        #expect(journal.status == 0)
        #expect(journal.output.split(separator: "\n").filter { $0.contains("apply") && $0.contains("outcome create finan.bank_accounts.") }.count == 2, "\(journal.output)")
    }
}

/// The octoDNS-style guard, through the built binary.
struct SafetyEndToEndTests {
    func manifest(_ names: [String]) -> String {
        sandboxFinanManifest(names.enumerated().map { ("a\($0.offset)", $0.element) })
    }

    @Test func replacingFourOfTenAccountsNeedsForce() throws {
        let binary = try ProvisionBinary()
        let names = (0..<10).map { "ACCOUNT \($0)" }
        let folder = try folderWithManifest(manifest(names))
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(created.status == 0, "\(created.errors)")

        var renamed = names
        for index in 0..<4 { renamed[index] += " NEW" }
        try manifest(renamed).write(to: folder.appendingPathComponent("bank.yaml"), atomically: true, encoding: .utf8)
        let refused = try binary.run(["plan", "."], in: folder)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("4 of its 10 existing managed resources (40%), more than max_change_percent 30%"))
        let applyRefused = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(applyRefused.status == 1)
        #expect(!applyRefused.output.contains(": replaced (id"))
        #expect(applyRefused.errors.contains("max_change_percent"))

        let forced = try binary.run(["plan", "--force", "--detailed-exitcode", "."], in: folder)
        #expect(forced.status == 2, "\(forced.errors)")
        #expect(forced.output.contains("Plan: 0 to create, 0 to update, 4 to replace, 0 to delete."))
    }
}

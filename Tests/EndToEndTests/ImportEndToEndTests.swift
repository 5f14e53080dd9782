import Foundation
import Testing

/// `provision import` run as a person would: a setup made earlier (here by apply) whose manifest and state are lost
/// is imported, and plan then has nothing to do.
struct ImportEndToEndTests {
    @Test func aQuickstartWhoseStateAndAccountsWereLostIsImportedAndPlanShowsNoChanges() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try binary.run(["apply", "--auto-approve"], in: folder).status == 0)
        // Forget what apply recorded and declare only the master: the two accounts exist only at the bank now.
        try FileManager.default.removeItem(at: folder.appendingPathComponent(".provision/state.json"))
        let manifest = folder.appendingPathComponent("bank.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try String(text[..<text.range(of: "  bank_accounts:")!.lowerBound]).write(to: manifest, atomically: true, encoding: .utf8)

        let imported = try binary.run(["import", "finan", "--out", "imported.yaml"], in: folder)
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.isEmpty, "with --out the YAML goes to the file: \(imported.output)")
        #expect(imported.errors.contains("Imported 2 resource(s) to imported.yaml; 2 adopted into state."), "\(imported.errors)")
        #expect(imported.errors.contains("note: webhook: Finan One has no API to read webhook back"), "\(imported.errors)")
        let yaml = try String(contentsOf: folder.appendingPathComponent("imported.yaml"), encoding: .utf8)
        #expect(yaml.contains("    main-ke-toan:\n      account_name: KE TOAN\n      master: main\n"), "\(yaml)")
        #expect(!yaml.contains("sandbox-secret-key"))

        let plan = try binary.run(["plan", "--detailed-exitcode"], in: folder)
        #expect(plan.status == 0, "\(plan.output)\(plan.errors)")
        #expect(plan.output.contains("No changes."), "\(plan.output)")

        let stdout = try binary.run(["import", "finan"], in: folder)
        #expect(stdout.status == 0)
        #expect(stdout.output.hasPrefix("# Written by `provision import finan`"), "\(stdout.output)")
        #expect(!stdout.output.contains("main-ke-toan"), "declared in imported.yaml now, so not imported again")
    }

    /// Objects written nowhere the manifest reads are not adopted (a later `--allow-delete` would delete them at the bank),
    /// and a hand-written manifest file is never overwritten.
    @Test func onlyYAMLTheManifestReadsIsAdoptedAndAHandWrittenFileIsKept() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try binary.run(["apply", "--auto-approve"], in: folder).status == 0)
        let stateFile = folder.appendingPathComponent(".provision/state.json")
        try FileManager.default.removeItem(at: stateFile)
        let manifest = folder.appendingPathComponent("bank.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        let masterOnly = String(text[..<text.range(of: "  bank_accounts:")!.lowerBound])
        try masterOnly.write(to: manifest, atomically: true, encoding: .utf8)

        let printed = try binary.run(["import", "finan"], in: folder)
        #expect(printed.status == 0, "\(printed.errors)")
        #expect(printed.output.contains("main-ke-toan"))
        #expect(printed.errors.contains("Imported 2 resource(s); 0 adopted into state."), "\(printed.errors)")
        #expect(printed.errors.contains("note: State is unchanged for the imported objects: the YAML went to standard output. To adopt them, write it with --out ./imported.yaml."), "\(printed.errors)")
        let state = (try? String(contentsOf: stateFile, encoding: .utf8)) ?? ""
        #expect(!state.contains("bank_accounts"), "nothing the manifest does not declare is in state: \(state)")

        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("provision-import-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: outside) }
        let elsewhere = try binary.run(["import", "finan", "--out", outside.path], in: folder)
        #expect(elsewhere.errors.contains("0 adopted into state"), "\(elsewhere.errors)")
        #expect(elsewhere.errors.contains("the manifest at . does not read \(outside.path)"), "\(elsewhere.errors)")

        let overwrite = try binary.run(["import", "finan", "--out", "bank.yaml"], in: folder)
        #expect(overwrite.status == 1)
        #expect(overwrite.errors.contains("error: --out bank.yaml: the file exists and was not written by provision import"), "\(overwrite.errors)")
        #expect(try String(contentsOf: manifest, encoding: .utf8) == masterOnly)
    }

    @Test func anUnknownProviderOrKindExitsOneSayingWhatToWrite() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let provider = try binary.run(["import", "finna"], in: folder)
        #expect(provider.status == 1)
        #expect(provider.errors.contains("error: No provider \"finna\" is declared under providers:. Did you mean finan? Declared: finan."), "\(provider.errors)")
        let kind = try binary.run(["import", "finan", "--kinds", "bank_accounts,webhook"], in: folder)
        #expect(kind.status == 1)
        #expect(kind.errors.contains("error: --kinds webhook: finan.webhook cannot be imported"), "\(kind.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision/state.json").path))
    }
}

import Foundation
import Testing

/// The built binary, through plan → apply → plan, against the in-process sandbox.
struct QuickstartEndToEndTests {
    @Test func planApplyPlanConverges() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }

        let first = try binary.run(["plan", "--detailed-exitcode", "."], in: folder)
        #expect(first.status == 2, "\(first.output)\(first.errors)")
        #expect(first.output.contains("+ finan.bank_accounts.accounting will be created"))
        #expect(first.output.contains("Plan: 2 to create, 0 to update, 0 to replace, 0 to delete."))

        let apply = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(apply.status == 0, "\(apply.output)\(apply.errors)")
        #expect(apply.output.contains("finan.bank_accounts.payroll: created (id "))
        #expect(apply.output.contains("Apply complete: 2 applied."))

        let second = try binary.run(["plan", "--detailed-exitcode", "."], in: folder)
        #expect(second.status == 0, "\(second.output)\(second.errors)")
        #expect(second.output.contains("No changes. The bank setup matches the manifest."))

        let state = try String(contentsOf: folder.appendingPathComponent(".provision/state.json"), encoding: .utf8)
        #expect(state.contains("finan.bank_accounts.accounting"))
        #expect(!state.contains("sandbox-secret-key"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision/sandbox/finan.json").path))
    }

    @Test func manualStepWaitsForAPersonUntilConfirmed() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("finan-portal-steps")
        defer { try? FileManager.default.removeItem(at: folder) }

        let apply = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(apply.status == 3, "\(apply.output)\(apply.errors)")
        #expect(apply.output.contains("Enter Webhook URL: https://hooks.example.com/finan"))

        let confirm = try binary.run(["confirm", "finan.webhook", "."], in: folder)
        #expect(confirm.status == 0, "\(confirm.output)\(confirm.errors)")

        let plan = try binary.run(["plan", "--detailed-exitcode", "."], in: folder)
        #expect(plan.status == 0, "\(plan.output)\(plan.errors)")
    }

    @Test func applyWithoutApprovalOnAPipeIsRefused() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let apply = try binary.run(["apply", "."], in: folder)
        #expect(apply.status == 1)
        #expect(apply.errors.contains("--auto-approve"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision/state.json").path))
    }

    @Test func missingMasterAccountIsAnErrorThatSaysHowToRegisterIt() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("bank.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(of: "0933450210", with: "1111222233")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let plan = try binary.run(["plan", "."], in: folder)
        #expect(plan.status == 1)
        #expect(plan.output.contains("! finan.master_accounts.main is missing at the bank (error)"))
        #expect(plan.output.contains("Register master account 1111222233 with Finan One for this client:"))
    }

    @Test(arguments: try exampleNames())
    func exampleValidates(_ name: String) throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample(name)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try binary.run(["validate", "."], in: folder, environment: try variablesWithoutDefaults(in: folder))
        #expect(result.status == 0, "\(result.output)\(result.errors)")
    }

    /// An example reads a bank's real credentials only from variables: no placeholder default is sent to a bank.
    @Test(arguments: try exampleNames())
    func exampleWritesDefaultsOnlyForSandboxCredentials(_ name: String) throws {
        let folder = try copyOfExample(name)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".yaml") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /\$\{env:[A-Za-z0-9_]+:-([^}]*)\}/) {
                #expect(!match.1.lowercased().hasPrefix("set-"), "\(name)/\(file): \(match.0) is a placeholder default")
            }
        }
    }

    @Test func invalidManifestReportsEveryProblemWithItsPlace() throws {
        let binary = try ProvisionBinary()
        let folder = try folderWithManifest("""
            version: 1
            providers:
              finan: { type: finan-one, endpoint: sandbox, client_id: a, secret_key: b, colour: red }
            finan2:
              webhook: { url: https://x.example.com }
            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try binary.run(["validate", "bank.yaml"], in: folder)
        #expect(result.status == 1)
        #expect(result.errors.contains("error: Unknown key \"colour\" in providers.finan (bank.yaml:3:77)."))
        #expect(result.errors.contains("error: Unknown provider \"finan2\" in section \"finan2\" (bank.yaml:4:1). Did you mean \"finan\"? Known providers: finan."))
        #expect(result.errors.contains("warning: \"providers.finan.secret_key\" is a secret written as plain text in the manifest (bank.yaml:3:74)"), "\(result.errors)")
        #expect(result.errors.contains("3 problems found."))
    }
}

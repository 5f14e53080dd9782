import Foundation
import Testing

/// The manifest language through the built binary: all mistakes at once, environments, secrets.
struct ManifestEndToEndTests {
    @Test func fiveMistakesAreAllReportedInOneRun() throws {
        let binary = try ProvisionBinary()
        let folder = try folderWithManifest("""
            version: 1
            providers:
              finan: { type: finan-one, endpoint: sandbox, client_id: a, secret_key: "${env:E2E_SECRET}" }
              sepay: { type: sepay-bankhub, endpoint: sandbox, client_id: a, client_secret: hunter2-secret }
            finan:
              bank_accounts:
                accounting: { master: main, acount_name: KE TOAN }
            sepay:
              companies:
                acme: { full_name: ACME, status: Paused }
              bank_links:
                acme-main: { company: acme, completion_redirect_uri: "not a url" }
            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try binary.run(["validate", "bank.yaml"], in: folder, environment: ["E2E_SECRET": "sup3r-s3cret"])
        #expect(result.status == 1)
        var lines = result.errors.split(separator: "\n").map(String.init)
        #expect(lines.last == "6 problems found.", "\(result.errors)")
        #expect(lines.removeFirst().hasPrefix("warning: \"providers.sepay.client_secret\" is a secret written as plain text in the manifest (bank.yaml:4:81)"))
        #expect(lines[0] == "error: Missing required key \"account_name\" in finan.bank_accounts.accounting (bank.yaml:7:5). Add `account_name: ...`.")
        #expect(lines[1].hasPrefix("error: finan.bank_accounts.accounting.master refers to \"main\", which is not defined in finan.master_accounts (bank.yaml:7:5)."))
        #expect(lines[2] == "error: Unknown key \"acount_name\" in finan.bank_accounts.accounting (bank.yaml:7:33). Did you mean \"account_name\"? Known keys: account_name, master, owner, protect.")
        #expect(lines[3] == "error: \"sepay.companies.acme.status\" cannot be \"Paused\" (bank.yaml:10:38). Allowed: Active, Pending.")
        #expect(lines[4].hasPrefix("error: \"sepay.bank_links.acme-main.completion_redirect_uri\" is not a valid URL: no scheme such as https:// (bank.yaml:12:58)."))
        #expect(!result.errors.contains("sup3r-s3cret") && !result.errors.contains("hunter2-secret"))
    }

    @Test func environmentKeepsItsOwnStateAndProductionIsChecked() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("environments")
        defer { try? FileManager.default.removeItem(at: folder) }

        let noEnv = try binary.run(["plan", "."], in: folder)
        #expect(noEnv.status == 1)
        #expect(noEnv.errors.contains("pass --env NAME"))

        let apply = try binary.run(["apply", "--auto-approve", "--env", "staging", "."], in: folder)
        #expect(apply.status == 3, "\(apply.output)\(apply.errors)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision/environments/staging/state.json").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision/state.json").path))

        let unset = try binary.run(["validate", "."], in: folder)
        #expect(unset.status == 0, "validate needs no credentials: \(unset.errors)")
        #expect(unset.errors.contains("note: ${env:FINAN_CLIENT_ID} is unset, used by \"providers.finan.client_id\""), "\(unset.errors)")
        let strict = try binary.run(["validate", "--strict", "."], in: folder)
        #expect(strict.status == 1, "production reads the bank's credentials from variables, with no default to fall back on")
        #expect(strict.errors.contains("error: Environment variable FINAN_CLIENT_ID is not set, used by \"providers.finan.client_id\" in production environment \"production\""), "\(strict.errors)")

        let credentials = ["FINAN_CLIENT_ID": "acme-production", "FINAN_SECRET_KEY": "production-secret-\(UUID().uuidString)"]
        let validate = try binary.run(["validate", "."], in: folder, environment: credentials)
        #expect(validate.status == 0, "\(validate.errors)")
        #expect(validate.output.contains("valid for environment production"))
        #expect(validate.output.contains("valid for environment staging"))
    }
}

import Foundation
import Testing

/// The commands that contact no bank, run as a pull request's CI job runs them: with no credential in the environment.
struct OfflineEndToEndTests {
    /// The variables of every example's credentials, none of them set here.
    static let credentials = ["ICICI_API_KEY", "SEPAY_CLIENT_SECRET", "BANKHUB_WEBHOOK_SECRET", "VTB_CLIENT_ID", "VTB_CLIENT_SECRET"]

    /// An environment built from nothing (not inherited): no credential variable can leak in from the test runner.
    static func bare(home: URL) -> [String: String] {
        ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home.path, "NO_COLOR": "1"]
    }

    @Test func validateAndGraphOfEveryProviderNeedNoCredentials() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("all-providers")
        defer { try? FileManager.default.removeItem(at: folder) }

        let validate = try binary.run(["validate", "."], in: folder, environment: Self.bare(home: folder), inheriting: false)
        #expect(validate.status == 0, "\(validate.errors)")
        #expect(validate.output.contains("The manifest is valid and declares no environments"), "\(validate.output)")
        for variable in Self.credentials {
            #expect(validate.errors.contains("note: ${env:\(variable)} is unset, used by"), "\(validate.errors)")
        }
        #expect(!validate.errors.contains("error:"), "\(validate.errors)")

        let graph = try binary.run(["graph", "."], in: folder, environment: Self.bare(home: folder), inheriting: false)
        #expect(graph.status == 0, "\(graph.errors)")
        #expect(graph.output.hasPrefix("digraph"), "\(graph.output)")
        #expect(graph.output.contains("\"icici.applications.payments\""))
        #expect(!graph.output.contains("note:"), "notes go to standard error, so `graph | dot` reads only the graph")
    }

    @Test func aGateIsConfirmedWithoutCredentialsAndAManualStepStillNeedsThem() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("icici-go-live")
        defer { try? FileManager.default.removeItem(at: folder) }

        let gate = try binary.run(
            ["confirm", "--env", "uat", "gate.nda-signed", "--note", "NDA-42"], in: folder, environment: Self.bare(home: folder), inheriting: false)
        #expect(gate.status == 0, "\(gate.errors)")
        #expect(gate.output.contains("Recorded: gate nda-signed of uat"), "\(gate.output)")
        #expect(gate.errors.contains("note: ${env:ICICI_API_KEY} is unset"), "\(gate.errors)")
        let state = try String(contentsOf: folder.appendingPathComponent(".provision/environments/uat/state.json"), encoding: .utf8)
        #expect(state.contains("nda-signed") && state.contains("NDA-42"), "\(state)")

        // The runbook needs no credentials either: the gate shows done, and the bank it cannot ask is marked unverified.
        let runbook = try binary.run(["runbook", "--env", "uat", "."], in: folder, environment: Self.bare(home: folder), inheriting: false)
        #expect(runbook.status == 0, "\(runbook.errors)")
        #expect(runbook.output.contains("## 2. `gate.nda-signed` · gate · done"), "\(runbook.output)")
        #expect(runbook.output.contains("note: NDA-42"), "\(runbook.output)")
        #expect(runbook.output.contains("not contacted: \\${env:ICICI_API_KEY} is not set"), "\(runbook.output)")

        // So do the commands that only read the state.
        let history = try binary.run(["state", "history", "--env", "uat", "."], in: folder, environment: Self.bare(home: folder), inheriting: false)
        #expect(history.status == 0, "\(history.errors)")

        let step = try binary.run(["confirm", "--env", "uat", "icici.account_plan"], in: folder, environment: Self.bare(home: folder), inheriting: false)
        #expect(step.status == 1)
        #expect(step.errors.contains("Environment variable ICICI_API_KEY is not set"), "\(step.errors)")
    }

    @Test func strictValidateAndPlanStillNeedTheCredentials() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("icici-go-live")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bare = Self.bare(home: folder)

        let offline = try binary.run(["validate", "--env", "production", "."], in: folder, environment: bare, inheriting: false)
        #expect(offline.status == 0, "\(offline.errors)")
        #expect(offline.errors.contains("note: ${env:ICICI_API_KEY} is unset, used by \"providers.icici.api_key\" (bank.yaml:"), "\(offline.errors)")
        #expect(offline.errors.contains("need it in environment production: set ICICI_API_KEY where they run."), "\(offline.errors)")

        let strict = try binary.run(["validate", "--env", "production", "--strict", "."], in: folder, environment: bare, inheriting: false)
        #expect(strict.status == 1)
        #expect(strict.errors.contains("error: Environment variable ICICI_API_KEY is not set, used by \"providers.icici.api_key\" in production environment \"production\""), "\(strict.errors)")

        let plan = try binary.run(["plan", "--env", "uat", "."], in: folder, environment: bare, inheriting: false)
        #expect(plan.status == 1)
        #expect(plan.errors.contains("error: Environment variable ICICI_API_KEY is not set"), "\(plan.errors)")
    }

    @Test func aDeferredDatabaseURLIsNeverReplacedByTheLocalFolder() throws {
        let binary = try ProvisionBinary()
        let folder = try folderWithManifest("""
            version: 1
            backend: { type: postgres, url: "${env:PROVISION_PG_URL}" }
            providers:
              finan: { type: finan-one, endpoint: sandbox, client_id: "${env:FINAN_CLIENT_ID}", secret_key: "${env:FINAN_SECRET_KEY}" }
            finan:
              webhook: { url: https://hooks.example.com/finan }
            environments:
              uat:
                gates:
                  signed: Sign the contract.
            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bare = Self.bare(home: folder)

        let graph = try binary.run(["graph", "--env", "uat", "."], in: folder, environment: bare, inheriting: false)
        #expect(graph.status == 0, "\(graph.errors)")
        #expect(graph.errors.contains("note: ${env:PROVISION_PG_URL} is unset, used by \"backend.url\""), "\(graph.errors)")

        let gate = try binary.run(["confirm", "--env", "uat", "gate.signed"], in: folder, environment: bare, inheriting: false)
        #expect(gate.status == 1, "the gate belongs in the database's state, which cannot be named")
        #expect(gate.errors.contains("error: Environment variable PROVISION_PG_URL is not set, used by \"backend.url\""), "\(gate.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision/environments/uat/state.json").path))
    }
}

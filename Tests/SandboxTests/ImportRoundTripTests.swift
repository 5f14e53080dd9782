import Banks
import Foundation
import PlanModel
import Reconciler
import Sandbox
import Testing
import ManifestLanguage
import Rendering

/// `provision import` in the engine: live objects seeded at a simulator are written as YAML and adopted into state,
/// and a plan of the manifest with that YAML shows no changes.
@Suite("Import: live objects become manifest YAML and state")
struct ImportRoundTripTests {
    /// A manifest folder with one file, its state beside it.
    struct Folder {
        let url: URL
        var imported: String { url.appendingPathComponent("imported.yaml").path }
        var store: StateStore { StateStore(directory: url.appendingPathComponent(".provision", isDirectory: true)) }

        init(_ text: String) throws {
            url = SandboxTransport.makeTemporaryDirectory()
            try text.write(to: url.appendingPathComponent("bank.yaml"), atomically: true, encoding: .utf8)
        }

        func load(_ variables: [String: String] = [:]) throws -> LoadedManifest {
            try ManifestLoader.load(path: url.path, catalog: BankRegistry.all.catalog, variables: variables)
        }

        /// Imports `request` with the manifest as the folder holds it now, writing the YAML to `imported.yaml`.
        func runImport(_ request: ImportRequest, variables: [String: String] = [:]) async throws -> ImportResult {
            let loaded = try load(variables)
            let providers = try BankRegistry.all.connect(loaded.manifest, sandboxBaseURL: nil)
            var state = try store.load()
            return try await Importer(providers: providers, catalog: BankRegistry.all.catalog, store: store).run(
                request, loaded: loaded, state: &state, variables: variables
            ) { yaml in try yaml.write(toFile: imported, atomically: true, encoding: .utf8) }
        }

        func plan(_ variables: [String: String] = [:]) async throws -> Plan {
            let manifest = try load(variables).manifest
            let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil)
            return try await Planner(providers: providers, catalog: BankRegistry.all.catalog).plan(manifest, state: store.load())
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    /// A Finan simulator on a port with the real clock, as the client signs with it.
    func withFinan(_ body: (FinanHarness) async throws -> Void) async throws {
        try await SandboxTransport.inFolder(nil) { data in
            try await SandboxTransport.onPort(SandboxConfiguration(port: 0, dataDirectory: data.path)) { transport in
                try await body(FinanHarness(transport: transport, directory: data))
            }
        }
    }

    /// Creates a bank account under the seeded master, signed at the current time.
    func createAccount(_ name: String, at harness: FinanHarness) async throws {
        let quoted = String(decoding: try JSONEncoder().encode(name), as: UTF8.self)
        let reply = try await harness.call(
            .POST, "/api/v1/bank-accounts", body: #"{"master_account_id":"\#(FinanHarness.masterID)","account_name":\#(quoted)}"#,
            timestamp: String(Int(Date().timeIntervalSince1970)))
        #expect(reply.status == 200, "\(reply.raw)")
    }

    func finanManifest(_ harness: FinanHarness) -> String {
        """
        version: 1
        providers:
          finan:
            type: finan-one
            endpoint: \(harness.transport.origin)\(FinanHarness.mount)
            client_id: \(FinanHarness.client)
            secret_key: \(FinanHarness.secret)
        finan:
          master_accounts:
            main: { account_number: "0933450210" }
        """
    }

    @Test func finanBankAccountsAreImportedAndThePlanAfterwardsShowsNoChanges() async throws {
        try await withFinan { harness in
            try await createAccount("KẾ TOÁN", at: harness)
            try await createAccount("LUONG", at: harness)
            let folder = try Folder(finanManifest(harness))
            defer { folder.remove() }
            let before = try await folder.plan()
            #expect(!before.hasChanges, "nothing is declared but the master: \(PlanRenderer.text(before))")

            let result = try await folder.runImport(ImportRequest(provider: "finan", output: folder.imported))
            #expect(result.notes.count == 2, "\(result.notes)")
            #expect(result.notes.contains { $0.contains("written under main, the only master known") }, "\(result.notes)")
            #expect(result.imported.map(\.description) == ["finan.bank_accounts.main-ke-toan", "finan.bank_accounts.main-luong"])
            #expect(result.adopted == result.imported)
            #expect(result.yaml.hasSuffix("""
                finan:
                  bank_accounts:
                    main-ke-toan:
                      account_name: KẾ TOÁN
                      master: main
                    main-luong:
                      account_name: LUONG
                      master: main

                """), "\(result.yaml)")
            #expect(result.notes.contains { $0.hasPrefix("webhook: Finan One has no API to read webhook back") }, "\(result.notes)")
            #expect(!result.yaml.contains(FinanHarness.secret))

            let after = try await folder.plan()
            #expect(!after.hasChanges, "\(PlanRenderer.text(after))")
            #expect(after.changes.filter { $0.address.kind == "bank_accounts" }.allSatisfy { $0.action == .noop && $0.remoteID != nil })
            let state = try folder.store.load()
            #expect(state.resources.keys.map(\.description).sorted() == result.imported.map(\.description))

            let again = try await folder.runImport(ImportRequest(provider: "finan", output: folder.imported))
            #expect(again.yaml == result.yaml, "a second import rewrites its own file the same way")
            #expect(again.adopted.isEmpty)
        }
    }

    /// A bank's names are text: one that looks like a variable is written as a literal (`$${`), so the next load
    /// neither reads the variable nor sends its value, and quotes and line breaks come back as they were.
    @Test func bankNamesHoldingVariablesQuotesAndLineBreaksRoundTripAsText() async throws {
        let planted = "planted-finan-secret-4711"
        let variables = ["FINAN_SECRET_KEY": planted]
        let names = ["${env:FINAN_SECRET_KEY}", "O'Brien \"Q\" ${file:/etc/passwd}", "LINE ONE\nLINE TWO", "COSTS $${X}"]
        try await withFinan { harness in
            for name in names { try await createAccount(name, at: harness) }
            let folder = try Folder(finanManifest(harness))
            defer { folder.remove() }
            let result = try await folder.runImport(ImportRequest(provider: "finan", output: folder.imported), variables: variables)
            #expect(result.imported.count == names.count, "\(result.notes)")
            #expect(result.differing.isEmpty, "\(result.differing)")
            #expect(result.yaml.contains("$${env:FINAN_SECRET_KEY}") && !result.yaml.contains(planted), "\(result.yaml)")

            let loaded = try folder.load(variables).manifest
            let written = loaded.resources.filter { $0.address.kind == "bank_accounts" }.compactMap { $0.attributes["account_name"] }
            #expect(Set(written) == Set(names.map(Value.string)), "\(written)")
            #expect(loaded.interpolated.isEmpty)
            let after = try await folder.plan(variables)
            #expect(!after.hasChanges, "\(PlanRenderer.text(after))")
            for shown in [PlanRenderer.text(after), PlanRenderer.markdown(after), PlanRenderer.json(after)] {
                #expect(!shown.contains(planted))
            }
        }
    }

    @Test func bankHubCompaniesWebhookMerchantConfigAndLinkedAccountsAreImported() async throws {
        try await SePayHarness.with { harness in
            let token = try await harness.token()
            let acme = try await harness.company("ACME Trading JSC", bearer: token)
            _ = try await harness.company("Beta Logistics", status: "Pending", bearer: token)
            _ = try await harness.linkAccount(company: acme, number: "0123456789", bearer: token)
            let hook = try await harness.call(
                .POST, "/v1/webhook", bearer: token,
                json: #"{"webhook_url":"https://hooks.example.com/bankhub","auth_type":"SECRET_KEY","secret_key":"hook-secret-9876","active":1,"allow_events":["*"]}"#)
            #expect(hook.status < 300, "\(hook.raw)")
            let config = try await harness.call(.POST, "/v1/merchant-config", bearer: token, json: #"{"transaction_whitelist_remark_keywords":["ACME","DH"]}"#)
            #expect(config.status < 300, "\(config.raw)")
            let folder = try Folder("""
                version: 1
                providers:
                  sepay:
                    type: sepay-bankhub
                    endpoint: \(harness.root)
                    client_id: \(SePayHarness.clientID)
                    client_secret: ${env:SEPAY_CLIENT_SECRET}
                sepay:
                  companies:
                    acme: { full_name: ACME Trading JSC }
                """)
            defer { folder.remove() }
            let secrets = ["SEPAY_CLIENT_SECRET": SePayHarness.clientSecret]

            let result = try await folder.runImport(ImportRequest(provider: "sepay", output: folder.imported), variables: secrets)
            #expect(result.imported.map(\.description) == [
                "sepay.bank_links.acme-0123456789", "sepay.companies.beta-logistics", "sepay.merchant_config", "sepay.webhook",
            ])
            #expect(result.adopted.map(\.description) == [
                "sepay.bank_links.acme-0123456789", "sepay.companies.acme", "sepay.companies.beta-logistics", "sepay.merchant_config", "sepay.webhook",
            ], "the declared company state did not track is adopted too")
            #expect(result.yaml.contains("secret: ${env:SEPAY_WEBHOOK_SECRET}"), "\(result.yaml)")
            #expect(result.yaml.contains("company: acme"), "\(result.yaml)")
            #expect(result.yaml.contains("status: Pending"), "\(result.yaml)")
            for secret in ["hook-secret-9876", "9876", SePayHarness.clientSecret] {
                #expect(!result.yaml.contains(secret), "\(secret) reached the YAML")
            }
            #expect(result.notes.contains { $0.contains("set SEPAY_WEBHOOK_SECRET") }, "\(result.notes)")
            let state = try String(contentsOf: folder.url.appendingPathComponent(".provision/state.json"), encoding: .utf8)
            #expect(!state.contains("9876"), "no secret, nor what the bank shows of it, reaches state")

            var variables = secrets
            variables["SEPAY_WEBHOOK_SECRET"] = "hook-secret-9876"
            let after = try await folder.plan(variables)
            #expect(!after.hasChanges, "\(PlanRenderer.text(after))")
            variables["SEPAY_WEBHOOK_SECRET"] = "another-secret-1234"
            let changed = try await folder.plan(variables)
            #expect(changed.changes.first { $0.address.description == "sepay.webhook" }?.action == .update, "a wrong secret is still seen")
        }
    }

    @Test func onlyTheKindsAskedForAreImported() async throws {
        try await SePayHarness.with { harness in
            let token = try await harness.token()
            _ = try await harness.company("ACME Trading JSC", bearer: token)
            let folder = try Folder("""
                version: 1
                providers:
                  sepay: { type: sepay-bankhub, endpoint: "\(harness.root)", client_id: \(SePayHarness.clientID), client_secret: \(SePayHarness.clientSecret) }
                """)
            defer { folder.remove() }
            let result = try await folder.runImport(ImportRequest(provider: "sepay", kinds: ["companies"], output: folder.imported))
            #expect(result.imported.map(\.description) == ["sepay.companies.acme-trading-jsc"])
            #expect(!result.yaml.contains("merchant_config"))
        }
    }

    @Test func anUnknownProviderOrKindAndAKindTheBankCannotListAreRefused() async throws {
        try await withFinan { harness in
            let folder = try Folder(finanManifest(harness))
            defer { folder.remove() }
            await #expect(throws: ImportProblem.self) { try await folder.runImport(ImportRequest(provider: "finna")) }
            do {
                _ = try await folder.runImport(ImportRequest(provider: "finna"))
            } catch {
                #expect("\(error)" == "No provider \"finna\" is declared under providers:. Did you mean finan? Declared: finan.")
            }
            do {
                _ = try await folder.runImport(ImportRequest(provider: "finan", kinds: ["bank_acounts"]))
                Issue.record("an unknown kind was accepted")
            } catch {
                #expect("\(error)".hasPrefix("--kinds bank_acounts: finan (finan-one) has no kind \"bank_acounts\". Did you mean bank_accounts?"), "\(error)")
            }
            do {
                _ = try await folder.runImport(ImportRequest(provider: "finan", kinds: ["webhook"]))
                Issue.record("a kind the bank cannot read was accepted")
            } catch {
                #expect("\(error)".contains("finan.webhook cannot be imported: Finan One has no API to read webhook back"), "\(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: folder.imported), "a refused import writes nothing")
            #expect(try folder.store.load().resources.isEmpty)
        }
    }
}

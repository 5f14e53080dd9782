import Banks
import Reconciler
import PlanModel
import Testing
import ManifestLanguage

struct ManifestParserTests {
    let valid = """
        version: 1
        providers:
          finan:
            type: finan-one
            endpoint: sandbox
            client_id: ${env:FINAN_CLIENT_ID:-sandbox-client-id}
            secret_key: ${env:FINAN_SECRET_KEY}
        finan:
          master_accounts:
            main: { account_number: "0933450210" }
          bank_accounts:
            accounting: { master: main, account_name: KE TOAN }
          webhook:
            url: https://hooks.example.com/finan
        """

    func parse(_ text: String, environment: [String: String] = ["FINAN_SECRET_KEY": "s3cr3t-value"]) throws(ManifestError) -> Manifest {
        try ManifestParser(catalog: BankRegistry.all.catalog, environment: environment).parse([ManifestSource(path: "bank.yaml", text: text)])
    }

    func problems(_ text: String, environment: [String: String] = ["FINAN_SECRET_KEY": "s3cr3t-value"]) -> [String] {
        do {
            _ = try parse(text, environment: environment)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func validManifestResolvesResourcesReferencesAndSecrets() throws {
        let manifest = try parse(valid)
        #expect(manifest.resources.map(\.address.description) == ["finan.bank_accounts.accounting", "finan.master_accounts.main", "finan.webhook"])
        let account = manifest.resources[0]
        #expect(account.capability == .managed)
        #expect(account.references["master"] == ResourceAddress(instance: "finan", kind: "master_accounts", name: "main"))
        #expect(account.location == SourceLocation(file: "bank.yaml", line: 12, column: 5))
        let provider = try #require(manifest.provider(named: "finan"))
        #expect(provider.endpoint == .sandbox)
        #expect(provider.settings["client_id"] == .string("sandbox-client-id"))
        #expect(provider.settings["secret_key"] == .sensitive(Sensitive("s3cr3t-value")))
        #expect(!"\(provider.settings)".contains("s3cr3t"))
    }

    @Test func unknownProviderSectionNamesTheKnownOnes() {
        let text = valid + "\nfinan2:\n  webhook: { url: https://x.example.com }\n"
        #expect(problems(text) == [
            "error: Unknown provider \"finan2\" in section \"finan2\" (bank.yaml:15:1). Did you mean \"finan\"? Known providers: finan."
        ])
    }

    @Test func everyProblemIsReportedSortedByLocation() {
        let text = """
            version: 1
            providers:
              finan:
                type: finan-one
                endpoint: ftp://nowhere
                client_id: abc
                secret_key: ${env:MISSING_SECRET}
            finan:
              master_accounts:
                main: { acount_number: "1" }
              bank_accounts:
                accounting: { master: mian, account_name: KE TOAN }
              webhook: { url: not-a-url }
            """
        let found = problems(text)
        #expect(found.count == 6)
        #expect(found[0].contains("\"finan.endpoint\"") == false)
        #expect(found[0].contains("providers.finan.endpoint") && found[0].contains("bank.yaml:5:15"))
        #expect(found[1].contains("MISSING_SECRET") && found[1].contains("bank.yaml:7:17"))
        #expect(found[2].contains("Missing required key \"account_number\"") && found[2].contains("bank.yaml:10:5"))
        #expect(found[3].contains("Unknown key \"acount_number\"") && found[3].contains("Did you mean \"account_number\"?"))
        #expect(found[4].contains("refers to \"mian\"") && found[4].contains("Did you mean \"main\"?"))
        #expect(found[5].contains("finan.webhook.url") && found[5].contains("bank.yaml:13:19"))
    }

    @Test func secretsNeverAppearInMessages() {
        let text = valid.replacingOccurrences(of: "endpoint: sandbox", with: "endpoint: sandbox\n    extra: 1")
        let found = problems(text)
        #expect(!found.isEmpty)
        #expect(!found.joined().contains("s3cr3t-value"))
    }

    @Test func duplicateNamesAcrossFilesShowBothPlaces() {
        let second = """
            finan:
              bank_accounts:
                accounting: { master: main, account_name: OTHER }
            """
        do {
            _ = try ManifestParser(catalog: BankRegistry.all.catalog, environment: ["FINAN_SECRET_KEY": "x"]).parse([
                ManifestSource(path: "a.yaml", text: valid), ManifestSource(path: "b.yaml", text: second),
            ])
            Issue.record("expected a duplicate error")
        } catch {
            #expect(error.problems.map(\.description) == [
                "error: \"finan.bank_accounts.accounting\" is defined twice (b.yaml:3:5); first defined at a.yaml:12:5. Remove or rename one."
            ])
        }
    }

    @Test func sameBankAccountNameUnderOneMasterIsRejected() {
        let text = valid.replacingOccurrences(
            of: "accounting: { master: main, account_name: KE TOAN }",
            with: "accounting: { master: main, account_name: KE TOAN }\n    books: { master: main, account_name: ke  toan }")
        let found = problems(text)
        #expect(found.count == 1)
        #expect(found.first?.contains("finan.bank_accounts.accounting") == true)
    }

    @Test func yamlSyntaxErrorsCarryTheirPlace() {
        let found = problems("version: 1\nproviders: [\n")
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("error: YAML syntax:") && found[0].contains("bank.yaml:"))
    }

    @Test func wrongVersionAndMissingProvidersAreReported() {
        let found = problems("version: 2\n")
        #expect(found.contains { $0.contains("Unsupported manifest version 2") })
        #expect(found.contains { $0.contains("Missing required key \"providers\"") })
    }
}

import Banks
import Reconciler
import PlanModel
import Testing
import ManifestLanguage

struct ManifestEnvironmentTests {
    let text = """
        version: 1
        providers:
          finan:
            type: finan-one
            endpoint: sandbox
            client_id: id
            secret_key: ${file:secret.txt}
        finan:
          webhook: { url: http://hooks.local/finan }
        environments:
          staging: {}
          production:
            production: true
            providers:
              finan: { endpoint: https://api.finan.one/open }
            finan:
              webhook: { url: https://hooks.example.com/finan }
          broken:
            production: true
        """

    func parse(_ environment: String?) throws(ManifestError) -> Manifest {
        try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:], readFile: { $0 == "secret.txt" ? "from-a-file\n" : nil })
            .parse([ManifestSource(path: "bank.yaml", text: text)], environment: environment)
    }

    @Test func environmentOverridesEndpointAndURLs() throws {
        let manifest = try parse("production")
        #expect(manifest.environment == "production")
        #expect(manifest.isProduction)
        #expect(manifest.provider(named: "finan")?.endpoint == .url("https://api.finan.one/open"))
        #expect(manifest.resources.first?.attributes["url"] == .string("https://hooks.example.com/finan"))
        #expect(manifest.environments == ["broken", "production", "staging"])
    }

    @Test func fileValuesAreReadAndSecretsStaySensitive() throws {
        let manifest = try parse("staging")
        #expect(manifest.provider(named: "finan")?.settings["secret_key"] == .sensitive(Sensitive("from-a-file")))
        #expect(manifest.isProduction == false)
    }

    @Test func productionRefusesSandboxAndPlainHTTP() {
        do {
            _ = try parse("broken")
            Issue.record("expected production rules to fail")
        } catch {
            #expect(error.problems.map(\.description) == [
                "error: Provider \"finan\" uses endpoint: sandbox in production environment \"broken\" (bank.yaml:5:15). Set the bank's https endpoint for this environment.",
                "error: \"finan.webhook.url\" must use https in production environment \"broken\" (bank.yaml:9:19). Write an https:// URL.",
            ])
        }
    }

    @Test func unknownEnvironmentSuggestsTheNearest() {
        do {
            _ = try parse("prodution")
            Issue.record("expected an unknown environment")
        } catch {
            #expect(error.problems.map(\.description) == [
                "error: Unknown environment \"prodution\". Did you mean \"production\"? Known environments: broken, production, staging."
            ])
        }
    }

    @Test func missingFileIsAnErrorNamingIt() {
        do {
            _ = try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "conf/bank.yaml", text: text)], environment: "staging")
            Issue.record("expected an unreadable file")
        } catch {
            #expect(error.problems.map(\.description) == [
                "error: Cannot read file conf/secret.txt for \"providers.finan.secret_key\" (conf/bank.yaml:7:17). Check the path; it is relative to the manifest file."
            ])
        }
    }
}

struct ManifestValueTests {
    @Test func listsObjectsDefaultsAndEnumsAreRead() throws {
        let text = """
            version: 1
            providers:
              sepay: { type: sepay-bankhub, endpoint: sandbox, client_id: a, client_secret: b }
            sepay:
              companies:
                acme: { full_name: ACME, configuration: { payment_code: "on", transaction_amount: Unlimited, payment_code_suffix_from: 4 } }
              webhook: { url: https://h.example.com, secret: s3cret, allow_events: [BANK_ACCOUNT_LINKED] }
            """
        let manifest = try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "b.yaml", text: text)])
        let company = try #require(manifest.resources.first { $0.address.kind == "companies" })
        #expect(company.attributes["status"] == .string("Active"))
        #expect(company.attributes["configuration"] == .object([
            "payment_code": .string("on"), "transaction_amount": .string("Unlimited"), "payment_code_suffix_from": .integer(4),
        ]))
        let webhook = try #require(manifest.resources.first { $0.address.kind == "webhook" })
        #expect(webhook.attributes["allow_events"] == .list([.string("BANK_ACCOUNT_LINKED")]))
        #expect(webhook.attributes["secret"] == .sensitive(Sensitive("s3cret")))
        #expect(webhook.attributes["active"] == .boolean(true))
        #expect(!webhook.fingerprint.contains("s3cret"))
    }

    @Test func cyclesAreFoundAndNamed() {
        let here = SourceLocation(file: "b.yaml", line: 1, column: 1)
        func node(_ name: String, _ dependsOn: String) -> Resource {
            Resource(
                address: ResourceAddress(instance: "x", kind: "k", name: name), providerType: "t", capability: .managed, attributes: [:],
                references: ["ref": ResourceAddress(instance: "x", kind: "k", name: dependsOn)], location: here)
        }
        let cycles = DependencyGraph.cycles([node("b", "c"), node("a", "b"), node("c", "a"), node("d", "a")])
        #expect(cycles.map { $0.map(\.description) } == [["x.k.a", "x.k.b", "x.k.c"]])
        #expect(DependencyGraph.cycles([node("a", "b"), node("b", "z")]).isEmpty)
    }
}

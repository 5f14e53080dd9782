import Banks
import PlanModel
import Reconciler
import Testing
import ManifestLanguage

/// `backend:` at the top of the manifest: where the state is kept.
struct ManifestBackendTests {
    static let providers = """
        version: 1
        providers:
          finan: { type: finan-one, endpoint: sandbox, client_id: id, secret_key: key }

        """

    func parse(_ text: String, environment: [String: String] = [:], env: String? = nil) throws(ManifestError) -> Manifest {
        try ManifestParser(catalog: BankRegistry.all.catalog, environment: environment).parse([ManifestSource(path: "bank.yaml", text: text)], environment: env)
    }

    func problems(_ text: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try parse(text, environment: environment)
            return []
        } catch {
            // The literal secret_key of `providers` is a warning, not what these tests are about.
            return error.problems.filter { $0.severity == .error }.map(\.description)
        }
    }

    @Test func postgresBackendReadsItsURLAsASecret() throws {
        let url = "postgres://ci:hunter2@db.example.com:5432/provision"
        let manifest = try parse(Self.providers + """
            backend:
              type: postgres
              url: ${env:PROVISION_PG_URL}
              schema: bank_setup
              name: payments
            """, environment: ["PROVISION_PG_URL": url])
        let backend = try #require(manifest.backend)
        #expect(backend.type == .postgres && backend.schema == "bank_setup" && backend.name == "payments")
        #expect(backend.url?.revealed == url)
        #expect(!"\(backend)".contains("hunter2"))
        #expect(backend.location.line == 4)
    }

    @Test func noBackendMeansTheLocalFolder() throws {
        #expect(try parse(Self.providers).backend == nil)
        #expect(try parse(Self.providers + "backend: { type: local }\n").backend?.type == .local)
    }

    @Test func anEnvironmentMayChangeTheSchema() throws {
        let manifest = try parse(Self.providers + """
            backend: { type: postgres, url: "postgres://ci@db/provision", schema: shared }
            environments:
              prod: { backend: { schema: prod_state } }
            """, env: "prod")
        #expect(manifest.backend?.schema == "prod_state")
    }

    @Test func everyMistakeIsReportedWithItsPlaceAndNeverTheURL() {
        #expect(problems(Self.providers + "backend: { type: postgres }\n") == [
            "error: Missing required key \"url\" in backend (bank.yaml:4:1). Add `url: ...`.",
        ])
        #expect(problems(Self.providers + "backend: { type: mysql }\n") == [
            "error: \"backend.type\" cannot be \"mysql\" (bank.yaml:4:18). Allowed: local, postgres.",
        ])
        #expect(problems(Self.providers + "backend: { type: local, url: \"postgres://ci@db/x\" }\n") == [
            "error: \"backend.url\" cannot be used: only a postgres backend has one; remove it or write type: postgres (bank.yaml:4:30).",
        ])
        #expect(problems(Self.providers + "backend: { type: postgres, url: \"postgres://ci@db/x\", region: hn }\n").first?.contains("Unknown key \"region\" in backend") == true)
        #expect(problems(Self.providers + "backend: postgres\n") == [
            "error: \"backend\" must be a mapping with type (local or postgres) and, for postgres, url (bank.yaml:4:10).",
        ])
        let leaked = problems(Self.providers + "backend: { type: postgres, url: \"${env:PG_URL}\" }\n", environment: ["PG_URL": "mysql://ci:hunter2@db/x"])
        #expect(leaked.count == 1 && leaked[0].contains("\"backend.url\" must be a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL, not (sensitive)"))
        #expect(!leaked.joined().contains("hunter2"))
    }
}

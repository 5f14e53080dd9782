import Banks
import Foundation
import PlanModel
import Reconciler
import Testing
import ManifestLanguage

/// The engine against a Finan-compatible server written by someone else.
struct EngineAgainstStrictServerTests {
    let manifestText = """
        version: 1
        providers:
          finan:
            type: finan-one
            endpoint: https://strict.example/open
            client_id: strict-client
            secret_key: ${env:STRICT_SECRET}
        finan:
          master_accounts:
            main: { account_number: "0933450210" }
          bank_accounts:
            accounting: { master: main, account_name: KE TOAN }
            payroll: { master: main, account_name: LƯƠNG }
        """

    func run(_ server: StrictFinanServer, store: StateStore) async throws -> (Plan, ApplyReport) {
        let manifest = try ManifestParser(catalog: BankRegistry.all.catalog, environment: ["STRICT_SECRET": "strict-secret"]).parse([ManifestSource(path: "bank.yaml", text: manifestText)])
        let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil, wire: server)
        var state = try store.load()
        let plan = try await Planner(providers: providers, catalog: BankRegistry.all.catalog).plan(manifest, state: state)
        let report = try await Applier(providers: providers, store: store).apply(plan, manifest: manifest, state: &state)
        return (plan, report)
    }

    func temporaryStore() -> StateStore {
        StateStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("provision-strict-\(UUID().uuidString)"))
    }

    @Test func createsOneAccountEachAndASecondRunMakesNoPost() async throws {
        let server = StrictFinanServer()
        let store = temporaryStore()
        let (first, report) = try await run(server, store: store)
        #expect(first.count(.create) == 2)
        #expect(report.converged && report.applied.count == 2)
        #expect(server.posts == 2)
        #expect(server.rejections.isEmpty)

        let (second, _) = try await run(server, store: store)
        #expect(!second.hasChanges)
        #expect(server.posts == 2)
        let state = try store.load()
        #expect(state.resources["finan.bank_accounts.payroll"]?.attributes["account_number"] != nil)
        #expect(state.resources["finan.master_accounts.main"]?.remoteID == server.masterID)
    }

    @Test func lostStateAdoptsInsteadOfCreatingDuplicates() async throws {
        let server = StrictFinanServer()
        _ = try await run(server, store: temporaryStore())
        let (plan, report) = try await run(server, store: temporaryStore())
        #expect(plan.count(.adopt) == 2)
        #expect(plan.count(.create) == 0)
        #expect(report.applied.count == 2)
        #expect(server.posts == 2)
    }
}

import Banks
import Foundation
import PlanModel
import Reconciler
import Sandbox
import Testing
import ManifestLanguage

/// A go-live apply on a bad day at the banks: the simulators answer with 5xx, 429, lost answers after a commit,
/// and commits that land only after the client gave up. The engine must converge, and every duplicate the bank
/// ends up holding must be reported, never hidden.
@Suite(.timeLimit(.minutes(3)))
struct ReliabilityTests {
    static let accounts = 60
    static let companies = 40

    static func manifest(port: Int) -> String {
        var text = """
            version: 1
            providers:
              finan:
                type: finan-one
                endpoint: http://127.0.0.1:\(port)/finan/open
                client_id: sandbox-client-id
                secret_key: sandbox-secret-key
                request_timeout: 1
              sepay:
                type: sepay-bankhub
                endpoint: http://127.0.0.1:\(port)/sepay
                client_id: sandbox-client-id
                client_secret: sandbox-client-secret
                request_timeout: 1
            finan:
              master_accounts:
                main: { account_number: "0933450210" }
              bank_accounts:

            """
        for index in 1...accounts { text += "    a\(index): { master: main, account_name: ACCOUNT \(index) }\n" }
        text += "sepay:\n  companies:\n"
        for index in 1...companies { text += "    c\(index): { full_name: COMPANY \(index) }\n" }
        return text
    }

    /// Names at the bank held by more than one object, read from the simulators' world files.
    static func duplicatedNames(in folder: URL) throws -> Set<String> {
        var counts: [String: Int] = [:]
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for key in ["account_name", "full_name"] {
                    if let name = object[key] as? String, name.hasPrefix("ACCOUNT ") || name.hasPrefix("COMPANY ") { counts[name, default: 0] += 1 }
                }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        for file in ["finan.json", "sepay.json"] {
            walk(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(file))))
        }
        return Set(counts.filter { $0.value > 1 }.keys)
    }

    /// Settled: each rerun starts once the held-back commits have landed, as a rerun minutes later would; no rerun
    /// may then create anything twice. Unsettled: reruns start at once, racing commits still on their way; whatever
    /// duplicates that race leaves must all be conflicts in the plan.
    @Test(arguments: [true, false])
    func aHundredResourcesUnderFaultsConvergeAndEveryDuplicateIsAConflict(settleBetweenRuns: Bool) async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("provision-reliability-\(UUID().uuidString)")
        let faults = try SandboxFaults(spec: "5xx=0.1,429=0.05,drop=0.05,late=0.05,late_delay=1500ms,seed=11")
        let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: data.path, faults: faults))
        let store = StateStore(directory: data.appendingPathComponent("state"))
        let catalog = BankRegistry.all.catalog
        let manifest = try ManifestParser(catalog: catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: Self.manifest(port: sandbox.port))])
        let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil)
        var runs = 0
        var plan = try await Planner(providers: providers, catalog: catalog).plan(manifest, state: store.load())
        while plan.changes.contains(where: { $0.action.isChange }), runs < 3 {
            runs += 1
            var state = try store.load()
            let applicable = Plan(changes: plan.changes.filter { !$0.action.isError }, providers: plan.providers)
            _ = try await Applier(providers: providers, store: store).apply(applicable, manifest: manifest, state: &state, parallelism: 8)
            if settleBetweenRuns { await sandbox.faultsSettled() }
            plan = try await Planner(providers: providers, catalog: catalog).plan(manifest, state: store.load())
        }
        await sandbox.faultsSettled()
        plan = try await Planner(providers: providers, catalog: catalog).plan(manifest, state: store.load())
        await sandbox.stop()
        let pending = plan.changes.filter { $0.action.isChange }.map { "\($0.address) \($0.action.rawValue)" }
        #expect(pending.isEmpty, "converged within \(runs) runs; still to do: \(pending)")
        let duplicated = try Self.duplicatedNames(in: data)
        let conflicts = Set(plan.changes.filter { $0.action == .conflict }.compactMap { change in
            change.after?["account_name"]?.displayText ?? change.after?["full_name"]?.displayText
        })
        #expect(conflicts == duplicated, "every duplicate at the bank is a conflict in the plan, and no other")
        if settleBetweenRuns { #expect(duplicated.isEmpty, "no rerun created anything twice") }
        print("reliability (\(settleBetweenRuns ? "settled" : "racing") reruns): \(Self.accounts + Self.companies) resources converged in \(runs) run(s); "
            + "duplicates at the bank: \(duplicated.count), reported as conflicts: \(conflicts.count)")
    }
}

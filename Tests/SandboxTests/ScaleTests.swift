import Banks
import Foundation
import PlanModel
import Reconciler
import Sandbox
import Testing
import ManifestLanguage

/// What an apply or a plan of many resources costs at the bank, counted by the simulator: a plan is a few list
/// calls whatever the number of resources, and an apply keeps `--parallelism` calls in flight.
@Suite(.timeLimit(.minutes(3)))
struct ScaleTests {
    static let masterID = "3c919ce1-b310-47ae-9727-f9323ac4fba7"

    static func manifest(port: Int, accounts: Int) -> String {
        var text = """
            version: 1
            providers:
              finan:
                type: finan-one
                endpoint: http://127.0.0.1:\(port)/finan/open
                client_id: sandbox-client-id
                secret_key: sandbox-secret-key
            finan:
              master_accounts:
                main: { account_number: "0933450210" }
              bank_accounts:

            """
        for index in 1...accounts { text += "    a\(index): { master: main, account_name: ACCOUNT \(index) }\n" }
        return text
    }

    /// A Finan world file holding `accounts` bank accounts named as `manifest` names them.
    static func world(accounts: Int) -> String {
        let items = (1...accounts).map { index in
            #"{"account_id":"acc-\#(index)","master_account_id":"\#(masterID)","account_number":"VQR\#(String(format: "%06d", index))","account_name":"ACCOUNT \#(index)","created_at":"2024-01-15T10:30:00Z"}"#
        }
        return #"""
            {"clients":[{"client_id":"sandbox-client-id","secret_key":"sandbox-secret-key"}],
             "masters":[{"account_id":"\#(masterID)","account_number":"0933450210","account_name":"CONG TY SANDBOX","bank_code":"MB","created_at":"2024-01-15T10:30:00Z"}],
             "accounts":[\#(items.joined(separator: ","))],"sequence":\#(accounts)}
            """#
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("provision-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func parse(_ text: String) throws -> Manifest {
        try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: text)])
    }

    @Test func planningTwoThousandManagedAccountsCostsAFewListCalls() async throws {
        let count = 2_000
        let data = try Self.folder()
        defer { try? FileManager.default.removeItem(at: data) }
        try Self.world(accounts: count).write(to: data.appendingPathComponent("finan.json"), atomically: true, encoding: .utf8)
        let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: data.path))
        let manifest = try Self.parse(Self.manifest(port: sandbox.port, accounts: count))
        let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil)
        let planner = Planner(providers: providers, catalog: BankRegistry.all.catalog)
        let store = StateStore(directory: data.appendingPathComponent("state"))

        let adoption = try await planner.plan(manifest, state: store.load())
        #expect(adoption.changes.filter { $0.action == .adopt }.count == count)
        var state = try store.load()
        _ = try await Applier(providers: providers, store: store).apply(adoption, manifest: manifest, state: &state)
        #expect(try store.load().resources.count == count + 1)

        sandbox.traffic.reset()
        let plan = try await planner.plan(manifest, state: store.load())
        let requests = sandbox.traffic.current.requests
        await sandbox.stop()
        #expect(plan.changes.filter { $0.action == .noop }.count == count, "every managed account is found unchanged")
        // The simulator answers a list in one page, whatever its length: ceil(2000 / page size) is 1.
        let pages = 1
        #expect(requests <= pages + 3, "a plan of \(count) managed accounts made \(requests) requests")
    }

    @Test func parallelismSixteenKeepsSixteenCallsInFlightAtASlowBank() async throws {
        let count = 48
        let data = try Self.folder()
        defer { try? FileManager.default.removeItem(at: data) }
        let faults = try SandboxFaults(spec: "latency=400ms")
        let sandbox = try await SandboxServer.start(SandboxConfiguration(faults: faults))
        let manifest = try Self.parse(Self.manifest(port: sandbox.port, accounts: count))
        let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil)
        let store = StateStore(directory: data)
        let plan = try await Planner(providers: providers, catalog: BankRegistry.all.catalog).plan(manifest, state: store.load())
        #expect(plan.changes.filter { $0.action == .create }.count == count)

        sandbox.traffic.reset()
        var state = try store.load()
        let report = try await Applier(providers: providers, store: store).apply(plan, manifest: manifest, state: &state, parallelism: 16)
        let traffic = sandbox.traffic.current
        await sandbox.stop()
        #expect(report.applied.count == count && report.converged)
        #expect(traffic.maxInFlight >= 16, "at most \(traffic.maxInFlight) calls were in flight at once with parallelism 16")
        #expect(traffic.maxInFlight <= 16, "parallelism 16 allows no more than 16 calls at once, saw \(traffic.maxInFlight)")
    }
}

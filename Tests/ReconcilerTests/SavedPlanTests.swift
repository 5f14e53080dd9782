import Foundation
import PlanModel
import Reconciler
import Testing

/// A saved plan is refused once the manifest, the state or a live object it touches has changed.
struct SavedPlanTests {
    let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)
    let accounting = ResourceAddress(instance: "finan", kind: "bank_accounts", name: "accounting")
    let payroll = ResourceAddress(instance: "finan", kind: "bank_accounts", name: "payroll")

    func manifest(name: String = "KE TOAN") -> Manifest {
        Manifest(
            version: 1,
            providers: [ProviderConfig(name: "finan", type: "finan-one", endpoint: .sandbox, settings: ["client_id": .string("c")], location: here)],
            resources: [Resource(address: accounting, providerType: "finan-one", capability: .managed, attributes: ["account_name": .string(name)], location: here)])
    }

    func plan(payrollName: String = "LUONG") -> Plan {
        Plan(changes: [
            Change(address: accounting, action: .create, after: ["account_name": .string("KE TOAN")]),
            Change(address: payroll, action: .replace, remoteID: "p1", before: ["account_name": .string(payrollName)]),
        ], providers: ["finan": "finan-one"])
    }

    let state = State(lineage: "L1", serial: 4)

    var saved: SavedPlan { SavedPlan(plan: plan(), manifest: manifest(), state: state, manifestPath: "bank.yaml", allowDelete: false) }

    @Test func unchangedPlanIsCurrent() {
        #expect(saved.staleness(fresh: plan(), manifest: manifest(), state: state).isEmpty)
    }

    @Test func changedManifestIsStale() {
        #expect(saved.staleness(fresh: plan(), manifest: manifest(name: "KE TOAN 2"), state: state) == ["the manifest changed since the plan was saved"])
    }

    @Test func changedStateIsStale() {
        #expect(saved.staleness(fresh: plan(), manifest: manifest(), state: State(lineage: "L1", serial: 5))
            == ["the state changed since the plan was saved (serial 4 → 5)"])
        #expect(saved.staleness(fresh: plan(), manifest: manifest(), state: State(lineage: "L2", serial: 4)).first?.contains("different one") == true)
    }

    @Test func changedLiveObjectIsStale() {
        #expect(saved.staleness(fresh: plan(payrollName: "LUONG CU"), manifest: manifest(), state: state)
            == ["finan.bank_accounts.payroll changed at the bank since the plan was saved"])
    }

    @Test func savedPlanRoundTripsThroughAFile() throws {
        // The plan file sits in the manifest's folder: a plan naming a manifest outside its own tree is refused.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("plan.json").path
        var saved = saved
        saved.manifestPath = folder.appendingPathComponent("bank.yaml").path
        try saved.write(to: path)
        let read = try SavedPlan.read(from: path)
        #expect(read.staleness(fresh: plan(), manifest: manifest(), state: state).isEmpty)
        #expect(read.changes == saved.changes)
    }
}

import PlanModel
import Testing

struct PlanSafetyTests {
    func manifest(_ settings: [String: Value] = [:]) -> Manifest {
        Manifest(version: 1, providers: [
            ProviderConfig(name: "finan", type: "finan-one", endpoint: .sandbox, settings: settings, location: SourceLocation(file: "b.yaml", line: 1, column: 1)),
        ], resources: [])
    }

    func plan(existing: Int, replacing: Int, creating: Int = 0) -> Plan {
        var changes: [Change] = []
        for index in 0..<existing {
            let address = ResourceAddress(instance: "finan", kind: "bank_accounts", name: "a\(index)")
            changes.append(Change(address: address, action: index < replacing ? .replace : .noop))
        }
        for index in 0..<creating {
            changes.append(Change(address: ResourceAddress(instance: "finan", kind: "bank_accounts", name: "new\(index)"), action: .create))
        }
        changes.append(Change(address: ResourceAddress(instance: "finan", kind: "master_accounts", name: "m"), action: .check))
        return Plan(changes: changes, providers: ["finan": "finan-one"])
    }

    @Test func moreThanThirtyPercentOfTenIsRefused() {
        let found = PlanSafety.violations(plan(existing: 10, replacing: 4), manifest: manifest(), catalog: .test)
        #expect(found == [PlanSafety.Violation(provider: "finan", changing: 4, existing: 10, maxPercent: 30)])
        #expect(found[0].description.contains("4 of its 10 existing managed resources (40%)"))
    }

    @Test func exactlyThirtyPercentPasses() {
        #expect(PlanSafety.violations(plan(existing: 10, replacing: 3), manifest: manifest(), catalog: .test).isEmpty)
    }

    @Test func fewerThanTenResourcesAreNotChecked() {
        #expect(PlanSafety.violations(plan(existing: 9, replacing: 9), manifest: manifest(), catalog: .test).isEmpty)
    }

    @Test func createsDoNotCountAndThresholdsAreConfigurable() {
        #expect(PlanSafety.violations(plan(existing: 10, replacing: 0, creating: 50), manifest: manifest(), catalog: .test).isEmpty)
        let strict = manifest(["max_change_percent": .integer(10), "safety_min_resources": .integer(2)])
        #expect(PlanSafety.violations(plan(existing: 3, replacing: 1), manifest: strict, catalog: .test).count == 1)
    }
}

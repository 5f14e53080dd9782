import Testing
import TestSupport
@testable import PlanModel

/// `Plan.ordered` puts every change after the planned changes it depends on, by layer then address, and a change
/// that waits on a cycle after every layer: the order the layer-by-layer scan gives.
@Suite struct PlanOrderTests {
    /// The order by definition: take every change whose planned dependencies are all placed, by address, until
    /// none is ready; then the rest by address.
    static func layered(_ changes: [Change]) -> [ResourceAddress] {
        let present = Set(changes.map(\.address))
        var placed = Set<ResourceAddress>()
        var result: [ResourceAddress] = []
        var remaining = changes.sorted { $0.address < $1.address }
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.dependencies.allSatisfy { placed.contains($0) || !present.contains($0) } }
            let batch = ready.isEmpty ? remaining : ready
            for change in batch { placed.insert(change.address) }
            result += batch.map(\.address)
            let taken = Set(batch.map(\.address))
            remaining.removeAll { taken.contains($0.address) }
        }
        return result
    }

    static func address(_ number: Int) -> ResourceAddress {
        ResourceAddress(instance: number % 3 == 0 ? "finan" : "sepay", kind: "bank_accounts", name: "a\(number)")
    }

    @Test func generatedGraphsOrderAsTheLayeredScanDoes() {
        var generator = SplitMix64(seed: 0x0DE5)
        for round in 0..<400 {
            let count = Int.random(in: 0...30, using: &generator)
            let changes = (0..<count).map { number in
                // Dependencies on earlier changes, later ones (cycles), itself, and addresses the plan does not hold.
                let dependencies = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                    Self.address(Int.random(in: 0...(count + 5), using: &generator))
                }
                return Change(address: Self.address(number), action: .create, dependencies: dependencies)
            }.shuffled(using: &generator)
            #expect(Plan.ordered(changes).map(\.address) == Self.layered(changes), "round \(round)")
            // In address order, as the differ hands them over (the order is then kept layer by layer, without a sort).
            let sorted = changes.sorted { $0.address < $1.address }
            #expect(Plan.ordered(sorted).map(\.address) == Self.layered(changes), "round \(round), in address order")
        }
    }

    @Test func aChainComesOutDependenciesFirst() {
        let changes = [
            Change(address: Self.address(2), action: .create, dependencies: [Self.address(1)]),
            Change(address: Self.address(1), action: .create, dependencies: [Self.address(0)]),
            Change(address: Self.address(0), action: .create),
        ]
        #expect(Plan.ordered(changes).map(\.address) == [Self.address(0), Self.address(1), Self.address(2)])
    }
}

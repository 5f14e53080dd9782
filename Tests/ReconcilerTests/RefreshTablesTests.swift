import PlanModel
import Testing
@testable import Reconciler

/// The tables refresh keeps while it matches: resources found by address, live objects by id and by natural key.
struct RefreshTablesTests {
    static let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)
    static let kind = ResourceKindSchema(
        name: "accounts", capability: .managed,
        attributes: [AttributeSchema("name", .string, .required, summary: "name")], naturalKey: ["name"], summary: "accounts")

    static func resource(_ kind: String, _ name: String, called: String = "") -> Resource {
        Resource(
            address: ResourceAddress(instance: "bank", kind: kind, name: name), providerType: "test", capability: .managed,
            attributes: ["name": .string(called)], location: here)
    }

    @Test func resourcesInAddressOrderAreFoundByAddressAndOthersByTheirFirstPosition() {
        let ordered = (0..<200).map { Self.resource($0 < 100 ? "accounts" : "masters", String(format: "r%03d", $0)) }
        #expect(ResourceIndex.isStrictlyIncreasing(ordered))
        let index = ResourceIndex(ordered)
        for resource in ordered { #expect(index[resource.address]?.address == resource.address) }
        #expect(index[ResourceAddress(instance: "bank", kind: "accounts", name: "r150")] == nil, "a name of the other kind")
        #expect(index[ResourceAddress(instance: "bank", kind: "accounts", name: "a")] == nil, "before the first")
        #expect(index[ResourceAddress(instance: "zzz", kind: "accounts", name: "r000")] == nil, "after the last")
        #expect(ResourceIndex([])[ordered[0].address] == nil)

        let twice = [Self.resource("accounts", "b", called: "first"), Self.resource("accounts", "a"), Self.resource("accounts", "b", called: "second")]
        #expect(!ResourceIndex.isStrictlyIncreasing(twice))
        #expect(ResourceIndex(twice)[twice[0].address]?.attributes["name"] == .string("first"), "the first of an address written twice")
        #expect(ResourceIndex(twice)[twice[1].address] != nil)
    }

    @Test func objectsSharingANaturalKeyAreCandidatesInListOrderAndOthersAreNot() {
        let objects = [
            LiveObject(id: "1", attributes: ["name": .string("Payroll")]),
            LiveObject(id: "2", attributes: ["name": .string("Accounting")]),
            LiveObject(id: "3", attributes: ["name": .string("  payroll ")]),
            LiveObject(id: "4", attributes: [:]),
            LiveObject(id: "5", attributes: ["name": .string("PAYROLL")]),
        ]
        let live = LiveIndex(objects, kind: Self.kind)
        #expect(live.candidates(for: Self.resource("accounts", "p", called: "payroll")).map(\.id) == ["1", "3", "5"])
        #expect(live.candidates(for: Self.resource("accounts", "a", called: "accounting")).map(\.id) == ["2"])
        #expect(live.candidates(for: Self.resource("accounts", "n", called: "nobody")).isEmpty)
        #expect(live.unusable.map(\.id) == ["4"])
        #expect(live.object(id: "3")?.attributes["name"] == .string("  payroll "))
        #expect(live.object(id: "9") == nil)
    }
}

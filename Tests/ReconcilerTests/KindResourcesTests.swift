import PlanModel
import Testing
@testable import Reconciler

/// Refresh takes each kind's resources as a part of the list it was given, in their order, without copying them.
struct KindResourcesTests {
    static func resource(_ kind: String, _ name: String) -> Resource {
        Resource(
            address: ResourceAddress(instance: "bank", kind: kind, name: name), providerType: "test", capability: .managed,
            attributes: [:], location: SourceLocation(file: "bank.yaml", line: 1, column: 1))
    }

    @Test func aKindWrittenTogetherIsAPartOfTheListAndAScatteredOneIsFound() {
        let together = ["a", "b", "c"].map { Self.resource("accounts", $0) } + [Self.resource("masters", "m")]
        let accounts = BankProvider.resources(together, of: "accounts")
        #expect(accounts.map(\.address.name) == ["a", "b", "c"] && accounts.startIndex == 0, "a part of the list")
        #expect(BankProvider.resources(together, of: "masters").startIndex == 3)
        let scattered = [Self.resource("accounts", "a"), Self.resource("masters", "m"), Self.resource("accounts", "b")]
        #expect(BankProvider.resources(scattered, of: "accounts").map(\.address.name) == ["a", "b"], "every one, in order")
        #expect(BankProvider.resources(scattered, of: "webhooks").isEmpty)
    }
}

import Foundation
import PlanModel
import Reconciler
import Synchronization
import Testing
import TestSupport

/// Identity is a guarantee for every bank: an object without its natural key matches nothing, one bank object is
/// one resource at most, and a list that does not add up plans nothing. Unusual answers, then generated ones.
struct IdentityTests {
    static let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)
    static let kind = ResourceKindSchema(
        name: "accounts", capability: .managed,
        attributes: [AttributeSchema("name", .string, .required, summary: "name")], naturalKey: ["name"], summary: "accounts")
    static let schema = ProviderTypeSchema(type: "test-bank", displayName: "Test Bank", settings: [], kinds: [kind])

    struct Listing: KindHandler {
        let objects: [LiveObject]
        func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] { objects }
    }

    static func provider(_ objects: [LiveObject]) -> BankProvider {
        BankProvider(name: "bank", schema: schema, handlers: ["accounts": Listing(objects: objects)])
    }

    static func account(_ name: String, called: String? = nil) -> Resource {
        Resource(
            address: ResourceAddress(instance: "bank", kind: "accounts", name: name), providerType: "test-bank", capability: .managed,
            attributes: ["name": .string(called ?? name.uppercased())], location: here)
    }

    @Test func anObjectListedWithoutItsNaturalKeyMatchesNothingAndIsNamedInTheNotes() async throws {
        let refresh = try await Self.provider([LiveObject(id: "x9", attributes: [:])])
            .refreshing([Self.account("accounting"), Self.account("payroll")], state: [:])
        #expect(refresh.observations.values.allSatisfy { $0 == .absent }, "\(refresh.observations)")
        #expect(refresh.notes == ["accounts: Test Bank lists x9 without name, so it matches no resource by its natural key; check the object at the bank"])
    }

    @Test func aListThatNamesOneIDTwicePlansNothing() async throws {
        let twice = [LiveObject(id: "7", attributes: ["name": .string("ACCOUNTING")]), LiveObject(id: "7", attributes: ["name": .string("PAYROLL")])]
        await #expect(throws: ReconcilerError.self) {
            _ = try await Self.provider(twice).refresh([Self.account("accounting"), Self.account("payroll")], state: [:])
        }
    }

    @Test func oneBankObjectTrackedForTwoResourcesIsAConflictForBoth() async throws {
        let accounting = Self.account("accounting")
        let payroll = Self.account("payroll")
        let state = [accounting.address: StateEntry(remoteID: "7"), payroll.address: StateEntry(remoteID: "7")]
        let observed = try await Self.provider([LiveObject(id: "7", attributes: ["name": .string("ACCOUNTING")])])
            .refresh([accounting, payroll], state: state)
        #expect(observed[accounting.address] == .contested(remoteID: "7", others: [payroll.address]))
        #expect(observed[payroll.address] == .contested(remoteID: "7", others: [accounting.address]))
        let plan = Differ(catalog: ProviderCatalog([Self.schema])).changes(
            desired: [accounting, payroll], observed: Observed(live: observed, tracked: [accounting.address: "7", payroll.address: "7"]))
        #expect(plan.allSatisfy { $0.action == .conflict && $0.reason?.contains("bank.accounts.accounting and bank.accounts.payroll") == true })
    }

    /// The same, for a kind whose resources come after another kind's in the provider's list (each kind's resources
    /// reach refresh as a part of that list).
    @Test func oneBankObjectTrackedForTwoResourcesOfALaterKindIsAConflictForBoth() async throws {
        let webhooks = ResourceKindSchema(
            name: "webhooks", capability: .managed,
            attributes: [AttributeSchema("name", .string, .required, summary: "name")], naturalKey: ["name"], summary: "webhooks")
        let schema = ProviderTypeSchema(type: "test-bank", displayName: "Test Bank", settings: [], kinds: [Self.kind, webhooks])
        let hook = { (name: String) in
            Resource(
                address: ResourceAddress(instance: "bank", kind: "webhooks", name: name), providerType: "test-bank", capability: .managed,
                attributes: ["name": .string(name.uppercased())], location: Self.here)
        }
        let (first, second) = (hook("orders"), hook("refunds"))
        let provider = BankProvider(name: "bank", schema: schema, handlers: [
            "accounts": Listing(objects: [LiveObject(id: "a1", attributes: ["name": .string("ACCOUNTING")])]),
            "webhooks": Listing(objects: [LiveObject(id: "7", attributes: ["name": .string("ORDERS")])]),
        ])
        let state = [first.address: StateEntry(remoteID: "7"), second.address: StateEntry(remoteID: "7")]
        let observed = try await provider.refresh([Self.account("accounting"), Self.account("payroll"), first, second], state: state)
        #expect(observed[first.address] == .contested(remoteID: "7", others: [second.address]))
        #expect(observed[second.address] == .contested(remoteID: "7", others: [first.address]))
    }

    @Test func aListWhosePagesShiftWhileItIsReadIsRefused() async throws {
        // Page 1: two of three objects in two pages; page 2: empty, and now the list says two.
        let pages: [(items: [String], info: PageInfo)] = [
            (["a", "b"], PageInfo(pageCount: 2, total: 3)), ([], PageInfo(pageCount: 1, total: 2)),
        ]
        await #expect(throws: ListPager.Inconsistent.self) {
            _ = try await ListPager.all { page in (pages[page - 1].items, pages[page - 1].info) }
        }
        let steady: [(items: [String], info: PageInfo)] = [(["a", "b"], PageInfo(pageCount: 2, total: 3)), (["c"], PageInfo(pageCount: 2, total: 3))]
        #expect(try await ListPager.all { page in (steady[page - 1].items, steady[page - 1].info) } == ["a", "b", "c"])
    }

    /// Generated lists (names missing, blank, repeated; ids sometimes repeated) and manifests (some names the bank
    /// holds, some state entries): a repeated id always refuses the list; otherwise no resource is tied to an object
    /// without its natural key by that key, and no object is tied to two resources.
    @Test func generatedListsKeepTheThreeInvariants() async throws {
        var random = SplitMix64(seed: 2112)
        let names = ["ALPHA", "BRAVO", "CHARLIE", "DELTA", "bravo", " ALPHA "]
        for round in 0..<400 {
            var objects: [LiveObject] = []
            for index in 0..<Int.random(in: 0...6, using: &random) {
                let id = Bool.random(using: &random) && index > 0 && Int.random(in: 0..<8, using: &random) == 0 ? "o0" : "o\(index)"
                let attributes: [String: Value] = switch Int.random(in: 0..<5, using: &random) {
                case 0: [:]
                case 1: ["name": .string("  ")]
                default: ["name": .string(names.randomElement(using: &random)!)]
                }
                objects.append(LiveObject(id: id, attributes: attributes))
            }
            let desired = (0..<Int.random(in: 1...4, using: &random)).map { Self.account("r\($0)", called: names.randomElement(using: &random)!) }
            var state: [ResourceAddress: StateEntry] = [:]
            for resource in desired where Int.random(in: 0..<4, using: &random) == 0 {
                state[resource.address] = StateEntry(remoteID: "o\(Int.random(in: 0...6, using: &random))")
            }
            let repeated = Set(objects.map(\.id)).count != objects.count
            do {
                let observed = try await Self.provider(objects).refresh(desired, state: state)
                #expect(!repeated, "round \(round): a list repeating an id was used")
                var owners: [String: ResourceAddress] = [:]
                for resource in desired {
                    guard let id = observed[resource.address]?.claimedID else { continue }
                    #expect(owners[id] == nil, "round \(round): \(id) is tied to \(owners[id]!) and \(resource.address)")
                    owners[id] = resource.address
                    let object = objects.first { $0.id == id }!
                    let keyless = (object.attributes["name"]?.revealedText.trimmingCharacters(in: .whitespaces) ?? "").isEmpty
                    #expect(!keyless || state[resource.address]?.remoteID == id, "round \(round): \(id) has no name but matched \(resource.address)")
                }
            } catch is ReconcilerError {
                #expect(repeated, "round \(round): only a list repeating an id is refused")
            }
        }
    }
}

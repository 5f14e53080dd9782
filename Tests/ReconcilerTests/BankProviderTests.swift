import Foundation
import PlanModel
import Reconciler
import Synchronization
import Testing

/// The engine's part of every bank: matching live objects, claimed ids, references, replace, what a kind supports.
struct BankProviderTests {
    static let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)

    static let schema = ProviderTypeSchema(type: "test-bank", displayName: "Test Bank", settings: [], kinds: [
        ResourceKindSchema(
            name: "branches", capability: .observed,
            attributes: [AttributeSchema("code", .string, .required, summary: "code")], naturalKey: ["code"], summary: "branches"),
        ResourceKindSchema(
            name: "accounts", capability: .managed,
            attributes: [
                AttributeSchema("branch", .reference(kind: "branches"), .required, immutable: true, summary: "branch"),
                AttributeSchema("name", .string, .required, immutable: true, summary: "name"),
                AttributeSchema("number", .string, .computed, summary: "number"),
            ],
            naturalKey: ["branch", "name"], summary: "accounts",
            removalSteps: ["Close {name} ({remote_id}) by hand."]),
    ])

    /// A bank held in memory: what `list` shows, and what a create or delete did.
    final class Ledger: Sendable {
        let branches: Mutex<[LiveObject]>
        let accounts: Mutex<[LiveObject]>
        let fetched = Mutex<[String]>([])
        let deleted = Mutex<[String]>([])

        init(branches: [LiveObject] = [], accounts: [LiveObject] = []) {
            self.branches = Mutex(branches)
            self.accounts = Mutex(accounts)
        }
    }

    struct Branches: KindHandler {
        let ledger: Ledger
        func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] { ledger.branches.withLock { $0 } }
    }

    struct Accounts: Creating, Fetching {
        let ledger: Ledger
        let hidden: [LiveObject]

        func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] { ledger.accounts.withLock { $0 } }

        func fetch(id: String, desired: Resource, known: RemoteIDs) async throws -> LiveObject? {
            ledger.fetched.withLock { $0.append(id) }
            return hidden.first { $0.id == id }
        }

        func create(_ resource: Resource, known: RemoteIDs) async throws -> AppliedResource {
            var attributes = resource.attributes
            attributes["number"] = .string("N-1")
            attributes["undeclared"] = .string("dropped")
            return AppliedResource(remoteID: "new", attributes: attributes)
        }
    }

    struct DeletableAccounts: Creating, Deleting {
        let ledger: Ledger
        func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] { ledger.accounts.withLock { $0 } }
        func create(_ resource: Resource, known: RemoteIDs) async throws -> AppliedResource { AppliedResource(remoteID: "new", attributes: [:]) }
        func delete(_ change: Change, known: RemoteIDs, pending: PendingStep) async throws -> PersonStep? {
            ledger.deleted.withLock { $0.append(change.remoteID ?? "") }
            return nil
        }
    }

    func provider(_ ledger: Ledger, hidden: [LiveObject] = [], deletable: Bool = false) -> BankProvider {
        let accounts: any KindHandler = deletable ? DeletableAccounts(ledger: ledger) : Accounts(ledger: ledger, hidden: hidden)
        return BankProvider(name: "bank", schema: Self.schema, handlers: ["branches": Branches(ledger: ledger), "accounts": accounts])
    }

    let branch = ResourceAddress(instance: "bank", kind: "branches", name: "hq")
    let payroll = ResourceAddress(instance: "bank", kind: "accounts", name: "payroll")

    var resources: [Resource] {
        [
            Resource(address: branch, providerType: "test-bank", capability: .observed, attributes: ["code": .string("HQ")], location: Self.here),
            Resource(
                address: payroll, providerType: "test-bank", capability: .managed,
                attributes: ["branch": .string("hq"), "name": .string("Payroll Account")], references: ["branch": branch], location: Self.here),
        ]
    }

    @Test func untrackedObjectsAreMatchedByNaturalKeyIgnoringCaseAndSpacingAndReadBackAsWritten() async throws {
        let ledger = Ledger(
            branches: [LiveObject(id: "b1", attributes: ["code": .string("hq")])],
            accounts: [
                LiveObject(id: "other-branch", attributes: ["name": .string("PAYROLL ACCOUNT")], references: ["branch": "b2"]),
                LiveObject(id: "a1", attributes: ["name": .string("PAYROLL  ACCOUNT")], references: ["branch": "b1"]),
            ])
        let observed = try await provider(ledger).refresh(resources, state: [:])
        #expect(observed[branch] == .present(remoteID: "b1", attributes: ["code": .string("HQ")]))
        #expect(observed[payroll] == .present(remoteID: "a1", attributes: ["name": .string("Payroll Account"), "branch": .string("hq")]))
    }

    @Test func objectsClaimedByAnotherAddressAreNotAdoptedAndSeveralMatchesAreAConflict() async throws {
        let ledger = Ledger(
            branches: [LiveObject(id: "b1", attributes: ["code": .string("HQ")])],
            accounts: [
                LiveObject(id: "a1", attributes: ["name": .string("Payroll Account")]),
                LiveObject(id: "a2", attributes: ["name": .string("payroll account")]),
                LiveObject(id: "a3", attributes: ["name": .string("Payroll Account")]),
            ])
        let claimed: [ResourceAddress: StateEntry] = [ResourceAddress(instance: "bank", kind: "accounts", name: "old"): StateEntry(remoteID: "a3")]
        let observed = try await provider(ledger).refresh(resources, state: claimed)
        #expect(observed[payroll] == .ambiguous(candidates: ["a1", "a2"]))
    }

    @Test func aTrackedObjectMissingFromTheListIsFetchedByIdAndAReferenceTheBankCannotReportComesFromState() async throws {
        let ledger = Ledger(branches: [LiveObject(id: "b1", attributes: ["code": .string("HQ")])])
        let hidden = [LiveObject(id: "a9", attributes: ["name": .string("Payroll Account")])]
        let state: [ResourceAddress: StateEntry] = [payroll: StateEntry(remoteID: "a9", attributes: ["branch": .string("old-branch")])]
        let observed = try await provider(ledger, hidden: hidden).refresh(resources, state: state)
        #expect(ledger.fetched.withLock { $0 } == ["a9"])
        #expect(observed[payroll] == .present(remoteID: "a9", attributes: ["name": .string("Payroll Account"), "branch": .string("old-branch")]))
    }

    @Test func anotherObjectWithTheTrackedOnesNaturalKeyIsADuplicateThePlanReportsAsAConflict() async throws {
        let ledger = Ledger(
            branches: [LiveObject(id: "b1", attributes: ["code": .string("HQ")])],
            accounts: [
                LiveObject(id: "a1", attributes: ["name": .string("Payroll Account")]),
                LiveObject(id: "a2", attributes: ["name": .string("PAYROLL ACCOUNT")]),
            ])
        let state: [ResourceAddress: StateEntry] = [payroll: StateEntry(remoteID: "a1", attributes: ["branch": .string("hq")])]
        let observed = try await provider(ledger).refresh(resources, state: state)
        guard case .duplicated(let id, _, let others)? = observed[payroll] else {
            Issue.record("not a duplicate: \(String(describing: observed[payroll]))")
            return
        }
        #expect(id == "a1" && others == ["a2"])
        let changes = Differ(catalog: ProviderCatalog([Self.schema])).changes(
            desired: resources, observed: Observed(live: observed, tracked: [payroll: "a1"]))
        let change = try #require(changes.first { $0.address == payroll })
        #expect(change.action == .conflict)
        #expect(change.reason?.contains("a1") == true && change.reason?.contains("a2") == true)
    }

    @Test func aTrackedObjectGoneFromTheBankIsAbsentNotMatchedByName() async throws {
        let ledger = Ledger(
            branches: [LiveObject(id: "b1", attributes: ["code": .string("HQ")])],
            accounts: [LiveObject(id: "a1", attributes: ["name": .string("Payroll Account")])])
        let state: [ResourceAddress: StateEntry] = [payroll: StateEntry(remoteID: "gone")]
        #expect(try await provider(ledger).refresh(resources, state: state)[payroll] == .absent)
    }

    @Test func aReplaceOfAKindTheBankCannotDeleteCreatesThenLeavesTheRemovalStepsAndKeepsOnlyDeclaredAttributes() async throws {
        let change = Change(address: payroll, action: .replace, remoteID: "a1", before: ["name": .string("Old")])
        let applied = try await provider(Ledger()).apply(change, resource: resources[1], context: ApplyContext(remoteIDs: [branch: "b1"]))
        #expect(applied.remoteID == "new")
        #expect(applied.notes == ["Close Old (a1) by hand."])
        #expect(applied.attributes["number"] == .string("N-1"))
        #expect(applied.attributes["undeclared"] == nil)
    }

    @Test func aReplaceOfADeletableKindDeletesTheOldObject() async throws {
        let ledger = Ledger()
        let change = Change(address: payroll, action: .replace, remoteID: "a1")
        _ = try await provider(ledger, deletable: true).apply(change, resource: resources[1], context: ApplyContext(remoteIDs: [branch: "b1"]))
        #expect(ledger.deleted.withLock { $0 } == ["a1"])
    }

    @Test func anActionTheHandlerDoesNotAdoptIsUnsupported() async throws {
        await #expect {
            _ = try await provider(Ledger()).delete(Change(address: payroll, action: .delete, remoteID: "a1"), context: ApplyContext(remoteIDs: [:]), pending: .none)
        } throws: { error in
            (error as? CapabilityRefusal)?.what == "delete accounts"
        }
    }

    @Test func aKindIsDeletableExactlyWhenItsHandlerDeletes() {
        let deleting = Bank(
            schema: Self.schema, sandboxMount: "/test", settings: NoSettings.self, client: { _, _ in Ledger() },
            kinds: [KindRegistration(Self.kind("branches"), Branches.init), KindRegistration(Self.kind("accounts"), { DeletableAccounts(ledger: $0) })])
        let creating = Bank(
            schema: Self.schema, sandboxMount: "/test", settings: NoSettings.self, client: { _, _ in Ledger() },
            kinds: [KindRegistration(Self.kind("accounts"), { Accounts(ledger: $0, hidden: []) })])
        #expect(deleting.schema.kind("accounts")?.deletable == true)
        #expect(deleting.schema.kind("branches")?.deletable == false)
        #expect(creating.schema.kind("accounts")?.deletable == false)
    }

    static func kind(_ name: String) -> ResourceKindSchema {
        schema.kinds.first { $0.name == name }!
    }

    struct NoSettings: BankSettings {
        init(_ reader: inout SettingsReader) {}
    }
}

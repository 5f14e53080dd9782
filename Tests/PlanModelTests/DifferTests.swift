import PlanModel
import Testing

struct DifferTests {
    let master = ResourceAddress(instance: "finan", kind: "master_accounts", name: "main")
    let accounting = ResourceAddress(instance: "finan", kind: "bank_accounts", name: "accounting")
    let webhook = ResourceAddress(instance: "finan", kind: "webhook")
    let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)

    func account(_ name: String = "KE TOAN", master: String = "main") -> Resource {
        Resource(
            address: accounting, providerType: "finan-one", capability: .managed,
            attributes: ["account_name": .string(name), "master": .string(master)],
            references: ["master": ResourceAddress(instance: "finan", kind: "master_accounts", name: master)], location: here)
    }

    var masterResource: Resource {
        Resource(address: master, providerType: "finan-one", capability: .observed, attributes: ["account_number": .string("0933450210")], location: here)
    }

    var webhookResource: Resource {
        Resource(address: webhook, providerType: "finan-one", capability: .manual, attributes: ["url": .string("https://hooks.example.com/finan")], location: here)
    }

    @Test func absentManagedResourceIsCreatedWithEveryAttribute() {
        let changes = Differ(catalog: .test).changes(desired: [account()], observed: Observed(live: [accounting: .absent]))
        #expect(changes.map(\.action) == [.create])
        #expect(changes[0].attributeChanges.map(\.name) == ["account_name", "master"])
        #expect(changes[0].attributeChanges.allSatisfy { $0.before == nil })
        #expect(changes[0].dependencies == [master])
    }

    @Test func matchingTrackedResourceIsNoop() {
        let live: [String: Value] = ["account_name": .string("KE TOAN"), "master": .string("main"), "account_number": .string("VQR1")]
        let changes = Differ(catalog: .test).changes(
            desired: [account()], observed: Observed(live: [accounting: .present(remoteID: "a1", attributes: live)], tracked: [accounting: "a1"]))
        #expect(changes[0].action == .noop)
        #expect(changes[0].remoteID == "a1")
    }

    @Test func untrackedMatchIsAdoptedNotCreated() {
        let live: [String: Value] = ["account_name": .string("KE TOAN"), "master": .string("main")]
        let changes = Differ(catalog: .test).changes(desired: [account()], observed: Observed(live: [accounting: .present(remoteID: "a1", attributes: live)]))
        #expect(changes[0].action == .adopt)
        #expect(changes[0].remoteID == "a1")
    }

    @Test func immutableAttributeChangeForcesReplacement() {
        let live: [String: Value] = ["account_name": .string("KE TOAN"), "master": .string("main")]
        let changes = Differ(catalog: .test).changes(
            desired: [account("KE TOAN 2")], observed: Observed(live: [accounting: .present(remoteID: "a1", attributes: live)], tracked: [accounting: "a1"]))
        #expect(changes[0].action == .replace)
        #expect(changes[0].attributeChanges == [AttributeChange(name: "account_name", before: .string("KE TOAN"), after: .string("KE TOAN 2"), forcesReplacement: true)])
    }

    @Test func trackedButGoneIsCreatedAgainWithReason() {
        let changes = Differ(catalog: .test).changes(desired: [account()], observed: Observed(live: [accounting: .absent], tracked: [accounting: "a1"]))
        #expect(changes[0].action == .create)
        #expect(changes[0].reason?.contains("a1") == true)
    }

    @Test func missingObservedResourceIsAnErrorWithRegistrationSteps() {
        let changes = Differ(catalog: .test).changes(desired: [masterResource], observed: Observed(live: [master: .absent]))
        #expect(changes[0].action == .missing)
        #expect(changes[0].action.isError)
        #expect(changes[0].steps.contains { $0.contains("0933450210") && $0.contains("Add Account") })
    }

    @Test func presentObservedResourceIsACheckCarryingItsID() {
        let changes = Differ(catalog: .test).changes(desired: [masterResource], observed: Observed(live: [master: .present(remoteID: "m1", attributes: [:])]))
        #expect(changes[0].action == .check)
        #expect(changes[0].remoteID == "m1")
    }

    @Test func manualStepNeedsAPersonUntilConfirmed() {
        let pending = Differ(catalog: .test).changes(desired: [webhookResource], observed: Observed(live: [webhook: .unconfirmed]))
        #expect(pending[0].action == .manual)
        #expect(pending[0].steps.contains("Enter Webhook URL: https://hooks.example.com/finan"))
        #expect(pending[0].steps.last == "Record that it is done: provision confirm finan.webhook")
        let done = Differ(catalog: .test).changes(desired: [webhookResource], observed: Observed(live: [webhook: .confirmed]))
        #expect(done[0].action == .noop)
    }

    @Test func ambiguousMatchIsAConflict() {
        let changes = Differ(catalog: .test).changes(desired: [account()], observed: Observed(live: [accounting: .ambiguous(candidates: ["b", "a"])]))
        #expect(changes[0].action == .conflict)
        #expect(changes[0].reason == "several objects at the bank match: a, b")
    }

    @Test func secretsCompareOnlyWhatTheBankReadsBack() {
        var resource = webhookResource
        resource.capability = .managed
        resource.attributes["url"] = .sensitive(Sensitive("new"))
        let masked = Differ(catalog: .test).changes(
            desired: [resource], observed: Observed(live: [webhook: .present(remoteID: "w", attributes: ["url": .sensitive(Sensitive("new"))])], tracked: [webhook: "w"]))
        #expect(masked[0].action == .noop)
        let different = Differ(catalog: .test).changes(
            desired: [resource], observed: Observed(live: [webhook: .present(remoteID: "w", attributes: ["url": .string("***0ld")])], tracked: [webhook: "w"]))
        #expect(different[0].action == .update)
        #expect(different[0].attributeChanges.first?.after?.description == "(sensitive)")
    }

    @Test func planOrdersDependenciesFirst() {
        let plan = Plan(
            changes: [
                Change(address: accounting, action: .create, dependencies: [master]),
                Change(address: ResourceAddress(instance: "finan", kind: "zzz", name: "a"), action: .create),
                Change(address: master, action: .check),
            ],
            providers: ["finan": "finan-one"])
        #expect(plan.changes.map(\.address.description) == ["finan.master_accounts.main", "finan.zzz.a", "finan.bank_accounts.accounting"])
    }
}

struct DifferOrphanTests {
    let gone = ResourceAddress(instance: "finan", kind: "bank_accounts", name: "old")

    func orphan(protected: Bool = false, type: String = "finan-one", kind: String = "bank_accounts") -> Orphan {
        Orphan(
            address: ResourceAddress(instance: "finan", kind: kind, name: "old"), providerType: type, remoteID: "b9",
            attributes: ["account_name": .string("CU"), "account_number": .string("VQR9")], protected: protected)
    }

    @Test func orphanIsKeptWithoutAllowDelete() {
        let changes = Differ(catalog: .test).changes(desired: [], observed: Observed(live: [:], orphans: [orphan()]))
        #expect(changes.map(\.action) == [.orphan])
        #expect(changes[0].reason?.contains("--allow-delete") == true)
        #expect(!changes[0].action.isChange)
    }

    @Test func protectedOrphanIsNeverDeleted() {
        let changes = Differ(catalog: .test).changes(desired: [], observed: Observed(live: [:], orphans: [orphan(protected: true)]), allowDelete: true)
        #expect(changes.map(\.action) == [.orphan])
        #expect(changes[0].reason?.contains("protect: true") == true)
    }

    /// What state kept of a secret as text (an older version recorded what a bank showed of one) shows as a secret
    /// when its resource leaves the manifest.
    @Test func anOrphansSecretKeptAsTextNeverPrints() {
        let hook = ResourceKindSchema(
            name: "hooks", capability: .managed,
            attributes: [AttributeSchema("url", .url, .required, summary: "url"), AttributeSchema("secret", .string, .required, sensitive: true, summary: "secret")],
            naturalKey: ["url"], summary: "hooks")
        let catalog = ProviderCatalog([ProviderTypeSchema(type: "hooks-bank", displayName: "Hooks", settings: [], kinds: [hook])])
        let orphan = Orphan(
            address: ResourceAddress(instance: "h", kind: "hooks", name: "old"), providerType: "hooks-bank", remoteID: "w1",
            attributes: ["url": .string("https://hooks.example.com/a"), "secret": .string("***wxyz")])
        let change = Differ(catalog: catalog).changes(desired: [], observed: Observed(live: [:], orphans: [orphan])).first
        #expect(change?.before?["secret"]?.isSensitive == true)
        #expect(change?.before?["secret"]?.description.contains("wxyz") == false)
        #expect(change?.before?["url"] == .string("https://hooks.example.com/a"))
    }

    @Test func kindWithoutDeleteAPIIsRemovedByHand() {
        let changes = Differ(catalog: .test).changes(desired: [], observed: Observed(live: [:], orphans: [orphan()]), allowDelete: true)
        #expect(changes.map(\.action) == [.forget])
        #expect(changes[0].steps == ["Finan One has no API to close bank account VQR9 (CU, id b9): close it in the Finan portal or through Finan support."])
        #expect(changes[0].before?["account_name"] == .string("CU"))
    }

    @Test func deletableKindIsDeleted() {
        let changes = Differ(catalog: .test).changes(
            desired: [], observed: Observed(live: [:], orphans: [orphan(type: "icici-api-banking", kind: "cib_registrations")]), allowDelete: true)
        #expect(changes.map(\.action) == [.delete])
        #expect(changes[0].steps.isEmpty)
    }
}

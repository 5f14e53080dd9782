import Banks
import PlanModel
import Reconciler
import Testing

/// The registry: one entry per bank, what each kind supports taken from its handler.
struct BankRegistryTests {
    @Test func everyProviderTypeIsRegisteredOnceAndOnlyBanksWithAnAdapterPlan() {
        let types = BankRegistry.all.banks.map(\.schema.type)
        #expect(types == ["finan-one", "sepay-bankhub", "vietinbank-iconnect", "icici-api-banking"])
        #expect(BankRegistry.all.banks.filter(\.canPlan).map(\.schema.type) == ["finan-one", "sepay-bankhub", "vietinbank-iconnect", "icici-api-banking"])
        #expect(Set(BankRegistry.all.banks.map(\.sandboxMount)).count == types.count)
    }

    @Test func deletableFollowsTheHandlers() {
        let catalog = BankRegistry.all.catalog
        #expect(catalog.kind("bank_links", of: "sepay-bankhub")?.deletable == true)
        #expect(catalog.kind("companies", of: "sepay-bankhub")?.deletable == false)
        #expect(catalog.kind("bank_accounts", of: "finan-one")?.deletable == false)
        #expect(catalog.kind("consents", of: "vietinbank-iconnect")?.deletable == true, "forgetting a consent deletes its tokens")
        #expect(catalog.kind("statement_push", of: "vietinbank-iconnect")?.deletable == false, "VietinBank has no call to cancel one")
        #expect(catalog.kind("cib_registrations", of: "icici-api-banking")?.deletable == true, "removing one sends Deregistration")
        #expect(catalog.kind("applications", of: "icici-api-banking")?.deletable == false, "portal applications are not deleted by the tool")
    }
}

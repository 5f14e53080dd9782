import Banks
import PlanModel
import Reconciler
import Testing

/// The registry: one entry per bank, what each kind supports taken from its handler.
struct BankRegistryTests {
    @Test func everyProviderTypeIsRegisteredOnceAndOnlyBanksWithAnAdapterPlan() {
        let types = BankRegistry.all.banks.map(\.schema.type)
        #expect(types == ["finan-one", "sepay-bankhub", "vietinbank-iconnect", "icici-api-banking"])
        #expect(BankRegistry.all.banks.filter(\.canPlan).map(\.schema.type) == ["finan-one", "sepay-bankhub", "vietinbank-iconnect"])
        #expect(Set(BankRegistry.all.banks.map(\.sandboxMount)).count == types.count)
    }

    @Test func deletableFollowsTheHandlers() {
        let catalog = BankRegistry.all.catalog
        #expect(catalog.kind("bank_links", of: "sepay-bankhub")?.deletable == true)
        #expect(catalog.kind("companies", of: "sepay-bankhub")?.deletable == false)
        #expect(catalog.kind("bank_accounts", of: "finan-one")?.deletable == false)
        #expect(catalog.kind("consents", of: "vietinbank-iconnect")?.deletable == true, "forgetting a consent deletes its tokens")
        #expect(catalog.kind("statement_push", of: "vietinbank-iconnect")?.deletable == false, "VietinBank has no call to cancel one")
        #expect(catalog.kind("cib_registrations", of: "icici-api-banking")?.deletable == false, "no adapter yet, so nothing deletes it")
    }

    @Test func aBankThatCannotPlanYetSaysSo() throws {
        let manifest = try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "b.yaml", text: """
            version: 1
            providers:
              icici:
                type: icici-api-banking
                endpoint: sandbox
                api_key: k
            """)])
        #expect {
            _ = try BankRegistry.all.connect(manifest, sandboxBaseURL: "http://127.0.0.1:1")
        } throws: { error in
            "\(error)".contains("can validate but not yet plan or apply")
        }
    }
}

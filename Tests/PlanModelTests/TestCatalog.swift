import PlanModel

extension ProviderCatalog {
    /// A small catalog written for these tests: a bank with an observed, a managed and a manual kind
    /// (named after the shapes the real banks have), and one whose kind the API can delete.
    static let test: ProviderCatalog = {
        var deletable = ResourceKindSchema(
            name: "cib_registrations", capability: .interactive,
            attributes: [AttributeSchema("corp_id", .string, .required, summary: "corporate id")], summary: "a registration")
        deletable.deletable = true
        return ProviderCatalog([
            ProviderTypeSchema(type: "finan-one", displayName: "Test Bank", settings: [], kinds: [
                ResourceKindSchema(
                    name: "master_accounts", capability: .observed,
                    attributes: [AttributeSchema("account_number", .string, .required, immutable: true, summary: "number")],
                    naturalKey: ["account_number"], summary: "masters",
                    personSteps: ["Link master {account_number}: Add Account in the portal.", "Then run plan again."]),
                ResourceKindSchema(
                    name: "bank_accounts", capability: .managed,
                    attributes: [
                        AttributeSchema("master", .reference(kind: "master_accounts"), .required, immutable: true, summary: "master"),
                        AttributeSchema("account_name", .string, .required, immutable: true, summary: "name"),
                        AttributeSchema("account_number", .string, .computed, summary: "number"),
                    ],
                    naturalKey: ["master", "account_name"], summary: "accounts",
                    removalSteps: ["Finan One has no API to close bank account {account_number} ({account_name}, id {remote_id}): close it in the Finan portal or through Finan support."]),
                ResourceKindSchema(
                    name: "webhook", capability: .manual, isSingleton: true,
                    attributes: [AttributeSchema("url", .url, .required, summary: "url")], summary: "the webhook",
                    personSteps: ["Enter Webhook URL: {url}", "Record that it is done: provision confirm {address}"]),
            ]),
            ProviderTypeSchema(type: "icici-api-banking", displayName: "Other Test Bank", settings: [], kinds: [deletable]),
        ])
    }()
}

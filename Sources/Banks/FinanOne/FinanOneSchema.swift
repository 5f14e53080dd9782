import PlanModel
extension ProviderTypeSchema {
    /// Finan One Open API: sub bank accounts by API, master accounts read-only, webhook in the portal.
    public static let finanOne = ProviderTypeSchema(
        type: "finan-one",
        displayName: "Finan One",
        settings: [
            AttributeSchema("endpoint", .endpoint, .required, example: "https://api.finan.one/open", summary: "\"sandbox\" for the embedded simulator, or the API base URL, e.g. https://api.finan.one/open"),
            AttributeSchema("client_id", .string, .required, example: "${env:FINAN_CLIENT_ID}", summary: "Open API client id from the Finan portal (Settings → Open API)"),
            AttributeSchema("secret_key", .string, .required, sensitive: true, example: "${env:FINAN_SECRET_KEY}", summary: "the client's secret key, shown once when the client was created"),
        ],
        kinds: [.finanMasterAccounts, .finanBankAccounts, .finanWebhook]
    )
}

extension ResourceKindSchema {
    /// Finan One's `master_accounts`.
    public static let finanMasterAccounts = ResourceKindSchema(
        name: "master_accounts",
        capability: .observed,
        attributes: [
            AttributeSchema("account_number", .string, .required, immutable: true, example: "\"0933450210\"", summary: "the master account's full bank account number"),
            AttributeSchema("account_id", .string, .computed, summary: "Finan's id of the master account"),
            AttributeSchema("account_name", .string, .computed, summary: "account holder name as registered with the bank"),
            AttributeSchema("bank_code", .string, .computed, summary: "bank identifier, e.g. MB"),
        ],
        naturalKey: ["account_number"],
        summary: "master bank accounts linked in the Finan portal; the plan checks that each exists",
        personSteps: [
            "Register master account {account_number} with Finan One for this client:",
            "MB Bank: in the Finan portal open https://book.finan.one/cash-and-bank/fund → Add Account → Bank → MB Bank and link account {account_number}.",
            "Shinhan Bank or Galaxy Pay: ask Finan support to link account {account_number}.",
            "Then run plan again.",
        ]
    )

    /// Finan One's `bank_accounts`.
    public static let finanBankAccounts = ResourceKindSchema(
        name: "bank_accounts",
        capability: .managed,
        attributes: [
            AttributeSchema("master", .reference(kind: "master_accounts"), .required, immutable: true, example: "main", summary: "the master account (a name under master_accounts) to open it under"),
            AttributeSchema("account_name", .string, .required, immutable: true, example: "KE TOAN", summary: "display name of the account, e.g. KE TOAN"),
            AttributeSchema("account_number", .string, .computed, summary: "account number Finan assigned"),
        ],
        naturalKey: ["master", "account_name"],
        summary: "bank accounts created under a master account; Finan has no update or close call, so a change forces replacement",
        removalSteps: [
            "Finan One has no API to close bank account {account_number} ({account_name}, id {remote_id}): close it in the Finan portal or through Finan support.",
        ]
    )

    /// Finan One's `webhook`.
    public static let finanWebhook = ResourceKindSchema(
        name: "webhook",
        capability: .manual,
        isSingleton: true,
        attributes: [
            AttributeSchema("url", .url, .required, example: "https://hooks.example.com/finan", summary: "where Finan posts payment notifications"),
        ],
        summary: "the client's webhook URL; Finan's portal is the only way to set it",
        personSteps: [
            "Open https://book.finan.one/setting/open-api and select this manifest's Open API client.",
            "Enter Webhook URL: {url}",
            "Set Status to \"Activate\" and confirm.",
            "Record that it is done: {confirm_command}",
        ]
    )
}

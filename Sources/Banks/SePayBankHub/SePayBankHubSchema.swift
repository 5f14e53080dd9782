import PlanModel
extension ProviderTypeSchema {
    /// The 13 event names Bank Hub's `allow_events` accepts, plus `*` for all.
    public static let sepayEvents = [
        "*", "LINK_TOKEN_CREATED", "LINK_TOKEN_REVOKED", "LINK_TOKEN_EXPIRED", "LINK_SESSION_INITIALIZED",
        "LINK_SESSION_REINITIALIZED", "LINK_SESSION_STATE_CHANGED", "LINK_SESSION_COMPLETED", "LINK_SESSION_FAILED",
        "LINK_SESSION_ABANDONED", "LINK_SESSION_EXPIRED", "BANK_ACCOUNT_LINKED", "BANK_ACCOUNT_UNLINKED",
        "BANK_ACCOUNT_INACTIVATED",
    ]

    /// SePay Bank Hub: companies, webhook and merchant config by API; bank accounts linked by a person.
    public static let sepayBankHub = ProviderTypeSchema(
        type: "sepay-bankhub",
        displayName: "SePay Bank Hub",
        settings: [
            AttributeSchema("endpoint", .endpoint, .required, example: "https://bankhub-api-sandbox.sepay.vn",
                            summary: "\"sandbox\", or the API base URL: https://bankhub-api-sandbox.sepay.vn or https://bankhub-api.sepay.vn"),
            AttributeSchema("client_id", .string, .required, example: "${env:SEPAY_CLIENT_ID}", summary: "Bank Hub client id for this environment"),
            AttributeSchema("client_secret", .string, .required, sensitive: true, example: "${env:SEPAY_CLIENT_SECRET}", summary: "Bank Hub client secret"),
        ],
        kinds: [.sepayCompanies, .sepayWebhook, .sepayMerchantConfig, .sepayBankLinks]
    )
}

extension ResourceKindSchema {
    /// SePay Bank Hub's `companies`.
    public static let sepayCompanies = ResourceKindSchema(
        name: "companies",
        capability: .managed,
        attributes: [
            AttributeSchema("full_name", .string, .required, maximum: 200, example: "ACME Trading JSC", summary: "legal name; unique per merchant"),
            AttributeSchema("short_name", .string, .optional, example: "ACME", summary: "short name (Bank Hub stores it but does not read it back)"),
            AttributeSchema("status", .enumeration(["Active", "Pending"]), .optional, default: .string("Active"), example: "Active",
                            summary: "Active companies can link accounts and receive notifications"),
            AttributeSchema("configuration", .object([
                AttributeSchema("payment_code", .enumeration(["on", "off"]), .optional, example: "on", summary: "recognise payment codes in transfer remarks"),
                AttributeSchema("payment_code_prefix", .string, .optional, pattern: ("^[A-Za-z]{2,5}$", "2 to 5 letters"), example: "DH", summary: "payment code prefix"),
                AttributeSchema("payment_code_suffix_from", .integer, .optional, minimum: 1, maximum: 30, example: "4", summary: "shortest suffix"),
                AttributeSchema("payment_code_suffix_to", .integer, .optional, minimum: 1, maximum: 30, example: "8", summary: "longest suffix"),
                AttributeSchema("payment_code_suffix_character_type", .enumeration(["NumberOnly", "NumberAndLetter"]), .optional, example: "NumberOnly", summary: "characters allowed in the suffix"),
                AttributeSchema("transaction_amount", .integerOrKeyword(["Unlimited"]), .optional, minimum: 0, example: "Unlimited", summary: "transaction quota; notifications stop at 0"),
            ]), .optional, example: "{ payment_code: on, payment_code_prefix: DH }", summary: "payment-code recognition and quota"),
        ],
        naturalKey: ["full_name"],
        summary: "companies (organisations) under the merchant; Bank Hub has no delete",
        removalSteps: [
            "Bank Hub has no API to delete company {full_name} ({remote_id}): it stays at Bank Hub; set its status to Pending before removing it from the manifest, or ask SePay support to remove it.",
        ]
    )

    /// SePay Bank Hub's `webhook`.
    public static let sepayWebhook = ResourceKindSchema(
        name: "webhook",
        capability: .managed,
        isSingleton: true,
        attributes: [
            AttributeSchema("url", .url, .required, example: "https://hooks.example.com/bankhub", summary: "where Bank Hub posts link and account events"),
            AttributeSchema("secret", .string, .required, sensitive: true, example: "${env:BANKHUB_WEBHOOK_SECRET}", summary: "sent back as X-Secret-Key; Bank Hub shows only its last 4 characters"),
            AttributeSchema("auth_type", .enumeration(["SECRET_KEY"]), .optional, default: .string("SECRET_KEY"), example: "SECRET_KEY", summary: "how deliveries authenticate"),
            AttributeSchema("active", .boolean, .optional, default: .boolean(true), example: "true", summary: "deliver events"),
            AttributeSchema("allow_events", .list(of: .enumeration(ProviderTypeSchema.sepayEvents)), .optional, default: .list([.string("*")]), example: "[\"*\"]", summary: "events to deliver; * for all"),
        ],
        summary: "the merchant's one event webhook (upsert)"
    )

    /// SePay Bank Hub's `merchant_config`.
    public static let sepayMerchantConfig = ResourceKindSchema(
        name: "merchant_config",
        capability: .managed,
        isSingleton: true,
        attributes: [
            AttributeSchema("transaction_whitelist_remark_keywords", .list(of: .string), .optional, example: "[ACME, DH]", summary: "notify only transactions whose remark holds one of these; [] for all"),
            AttributeSchema("global_hosted_link_custom_css", .string, .optional, example: "\".header { color: #003366; }\"", summary: "CSS for every hosted link page"),
        ],
        summary: "the merchant's display and filter settings"
    )

    /// SePay Bank Hub's `bank_links`.
    public static let sepayBankLinks = ResourceKindSchema(
        name: "bank_links",
        capability: .interactive,
        attributes: [
            AttributeSchema("company", .reference(kind: "companies"), .required, immutable: true, example: "acme", summary: "the company (a name under companies) the account is linked for"),
            AttributeSchema("completion_redirect_uri", .url, .optional, example: "https://app.example.com/linked", summary: "where the person is sent when linking ends"),
            AttributeSchema("is_mobile_app", .boolean, .optional, default: .boolean(false), example: "false", summary: "the hosted page opens in a mobile app"),
            AttributeSchema("language", .enumeration(["vi", "en"]), .optional, default: .string("vi"), example: "vi", summary: "language of the hosted page"),
            AttributeSchema("account_number", .string, .optional, immutable: true, example: "\"0123456789\"", summary: "the account expected; without it any account linked for the company satisfies the link"),
            AttributeSchema("linked_account_number", .string, .computed, summary: "the number of the account the person linked"),
            AttributeSchema("bank", .string, .computed, summary: "the bank's brand name, as Bank Hub shows it"),
        ],
        naturalKey: ["company", "account_number"],
        summary: "a bank account a person links through Bank Hub's hosted page; removing one from the manifest (with --allow-delete) starts an unlink a person confirms",
        personSteps: [
            "apply creates a link token and prints its hosted_link_url; open it in a browser.",
            "Choose the bank, log in and confirm with the bank's OTP to link the account for company {company}.",
            "apply waits up to --wait for the account to appear; a later plan or apply picks it up.",
        ]
    )
}

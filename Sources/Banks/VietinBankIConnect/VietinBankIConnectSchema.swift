import PlanModel
extension ProviderTypeSchema {
    /// Operations whose signed field lists a manifest may override (`sign_fields`, `response_sign_fields`).
    static let vietinBankSignedOperations = ["/erp/v1/statement/inquiry", "/erp/v1/statement/register"]

    /// A mapping of operation path → field list, one optional entry per operation this tool signs.
    static func vietinBankFieldLists(_ example: String, _ summary: String) -> AttributeType {
        .object(vietinBankSignedOperations.map { operation in
            AttributeSchema(operation, .list(of: .string), .optional, example: example, summary: summary)
        })
    }

    /// The common ERP fields a manifest may set under `erp_fields`, each with the default public integrations send.
    static let vietinBankERPFields: [AttributeSchema] = [
        AttributeSchema("model", .string, .optional, default: .string("1"), example: "\"1\"", summary: "model"),
        AttributeSchema("channel", .string, .optional, default: .string("ERP"), example: "ERP", summary: "channel"),
        AttributeSchema("version", .string, .optional, default: .string("1"), example: "\"1\"", summary: "version"),
        AttributeSchema("language", .string, .optional, default: .string("vi"), example: "vi", summary: "language"),
        AttributeSchema("client_ip", .string, .optional, example: "203.0.113.10", summary: "clientIP: the address VietinBank allows your calls from (default: empty)"),
        AttributeSchema("account_type", .string, .optional, default: .string("D"), example: "D", summary: "accountType of statement calls"),
        AttributeSchema("agency_type", .string, .optional, example: "\"1\"", summary: "agencyType of statement calls, signed in statement register (default: empty; ask VietinBank)"),
        AttributeSchema("collection_type", .string, .optional, example: "\"1\"", summary: "collectionType of statement calls (default: empty; ask VietinBank)"),
    ]

    /// VietinBank iConnect: applications and subscriptions in the portal, customer consent by OAuth.
    public static let vietinBankIConnect = ProviderTypeSchema(
        type: "vietinbank-iconnect",
        displayName: "VietinBank iConnect",
        settings: [
            AttributeSchema("endpoint", .endpoint, .required, example: "https://api.vietinbank.vn/vtb/public",
                            summary: "\"sandbox\", or the gateway base: https://api-uat.vietinbank.vn/vtb-api-uat/development (UAT) or https://api.vietinbank.vn/vtb/public"),
            AttributeSchema("client_id", .string, .required, example: "${env:VTB_CLIENT_ID}", summary: "the application's X-IBM-Client-Id"),
            AttributeSchema("client_secret", .string, .required, sensitive: true, example: "${env:VTB_CLIENT_SECRET}", summary: "the application's X-IBM-Client-Secret"),
            AttributeSchema("provider_id", .string, .optional, maximum: 5, example: "ACME", summary: "partner code VietinBank assigned at onboarding"),
            AttributeSchema("merchant_id", .string, .optional, example: "ACME01", summary: "merchant id VietinBank assigned at onboarding"),
            AttributeSchema("private_key", .string, .optional, sensitive: true, example: "${file:keys/vietinbank-signing.pem}", summary: "PEM RSA key that signs request bodies"),
            AttributeSchema("certificate", .string, .optional, example: "${file:keys/vietinbank-signing-certificate.pem}",
                            summary: "the PEM certificate of private_key that VietinBank holds; provision check matches the two and reads its expiry"),
            AttributeSchema("bank_certificate", .string, .optional, example: "${file:keys/vietinbank-certificate.pem}",
                            summary: "PEM certificate or public key VietinBank signs its answers with; without it answers are accepted unverified"),
            AttributeSchema("signature_hash", .enumeration(["SHA256", "SHA1"]), .optional, default: .string("SHA256"), example: "SHA256",
                            summary: "hash of the RSA PKCS#1 v1.5 signatures: SHA256, or SHA1 for legacy connectors"),
            AttributeSchema("authorize_url", .url, .optional, example: "https://api.vietinbank.vn/vtb/public/oauth2/authorize",
                            summary: "OAuth authorization URL the customer opens (default: {endpoint}/oauth2/authorize; the real one is not public)"),
            AttributeSchema("token_url", .url, .optional, example: "https://api.vietinbank.vn/vtb/public/oauth2/token",
                            summary: "OAuth token URL (default: {endpoint}/oauth2/token; the real one is not public)"),
            AttributeSchema("sign_fields", vietinBankFieldLists("[requestId, providerId, merchantId, account]", "fields signed, in order"), .optional,
                            example: "{ /erp/v1/statement/register: [requestId, providerId, merchantId, account, notifyType, outputFolder, cronExpress] }",
                            summary: "per operation, the request fields signed, in order (default: what public ERP integrations sign; the bank's PDFs are the authority)"),
            AttributeSchema("erp_fields", .object(vietinBankERPFields), .optional, example: "{ client_ip: 203.0.113.10, agency_type: \"1\" }",
                            summary: "values of the common ERP fields every ERP call carries (defaults from public ERP integrations)"),
            AttributeSchema("response_sign_fields", vietinBankFieldLists("[requestId, providerId, merchantId, status.code]", "fields of the answer signed, in order"), .optional,
                            example: "{ /erp/v1/statement/register: [requestId, providerId, merchantId, status.code] }",
                            summary: "per operation, the answer fields VietinBank signs, in order (default: requestId, providerId, merchantId, status.code)"),
        ],
        kinds: [.vietinBankApplications, .vietinBankConsents, .vietinBankStatementPush]
    )
}

extension ResourceKindSchema {
    /// VietinBank iConnect's `applications`.
    public static let vietinBankApplications = ResourceKindSchema(
        name: "applications",
        capability: .manual,
        attributes: [
            AttributeSchema("name", .string, .required, example: "acme-erp", summary: "application name in the developer portal"),
            AttributeSchema("callback_url", .url, .optional, example: "https://app.example.com/vietinbank/callback", summary: "OAuth callback URL registered on the application"),
            AttributeSchema("subscriptions", .list(of: .object([
                AttributeSchema("api", .string, .required, example: "erp-statement", summary: "API name in the portal catalogue"),
                AttributeSchema("plan", .string, .required, example: "Default", summary: "plan chosen when subscribing"),
                AttributeSchema("rate_limit", .string, .optional, pattern: ("^[0-9]+/(second|minute|hour|day)$", "a count per second, minute, hour or day, e.g. 100/minute"), example: "100/minute", summary: "the plan's rate limit; calls to this API are held to it"),
                AttributeSchema("probe", .string, .optional, pattern: ("^/[A-Za-z0-9/_.-]*$", "an operation path starting with /"), example: "/erp/v1/statement/inquiry",
                                summary: "read-only operation called with an empty body to verify the subscription (default: known per API)"),
            ])), .optional, example: "[{ api: erp-statement, plan: Default, rate_limit: 100/minute }]", summary: "APIs the application subscribes to"),
        ],
        naturalKey: ["name"],
        summary: "applications, their API subscriptions, plans and callback URLs: portal only; subscriptions are verified by probe",
        personSteps: [
            "Log in to the VietinBank developer portal (https://developer.vietinbank.vn) and open Applications.",
            "Create or edit application {name}; register callback URL {callback_url}.",
            "Subscribe it to: {subscriptions}.",
            "Keep the Client ID and Client Secret in this manifest's environment variables.",
            "The next plan verifies the application and its subscriptions by probe; record what no probe can see (plans, callback URL): {confirm_command}",
        ]
    )

    /// VietinBank iConnect's `consents`.
    public static let vietinBankConsents = ResourceKindSchema(
        name: "consents",
        capability: .interactive,
        attributes: [
            AttributeSchema("application", .reference(kind: "applications"), .required, immutable: true, example: "erp", summary: "the application (a name under applications) the customer consents to"),
            AttributeSchema("scope", .string, .optional, example: "statement", summary: "OAuth scope to ask for"),
            AttributeSchema("customer", .string, .optional, example: "ACME finance team", summary: "who gives consent, for the instructions"),
        ],
        naturalKey: ["application", "scope", "customer"],
        summary: "a customer's OAuth authorization-code consent (PKCE) for an application; tokens are kept in .provision/secrets/",
        personSteps: [
            "apply prints the authorization URL; the customer ({customer}) opens it, logs in to VietinBank and gives consent.",
            "VietinBank redirects to the application's callback URL with a code: apply receives it when the callback is on this machine (127.0.0.1; run apply with --wait), otherwise run {consent_command} and paste the URL the browser reached when it asks",
        ]
    )

    /// VietinBank iConnect's `statement_push`.
    public static let vietinBankStatementPush = ResourceKindSchema(
        name: "statement_push",
        capability: .managed,
        attributes: [
            AttributeSchema("account", .string, .required, immutable: true, example: "\"108000123456\"", summary: "the account whose statements are pushed"),
            AttributeSchema("notify_type", .string, .required, example: "FILE", summary: "notifyType of the registration"),
            AttributeSchema("output_folder", .string, .optional, example: "/statements/acme", summary: "outputFolder of the registration"),
            AttributeSchema("cron", .string, .required, example: "\"0 0 * * *\"", summary: "cronExpress: when statements are pushed"),
        ],
        naturalKey: ["account"],
        summary: "statement push registration per account (POST /erp/v1/statement/register, signed; VietinBank has no read-back, so drift cannot be seen)",
        removalSteps: [
            "VietinBank has no API to cancel the statement push of account {account}: ask VietinBank (your branch or iConnect support) to stop it.",
        ],
        // The registration is made with the application's credentials: it waits while the application is a portal step.
        callsNeed: ["applications"]
    )
}

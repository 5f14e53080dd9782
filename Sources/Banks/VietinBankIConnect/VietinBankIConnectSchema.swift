import PlanModel
extension ProviderTypeSchema {
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
        ],
        kinds: [
            ResourceKindSchema(
                name: "applications",
                capability: .manual,
                attributes: [
                    AttributeSchema("name", .string, .required, example: "acme-erp", summary: "application name in the developer portal"),
                    AttributeSchema("callback_url", .url, .optional, example: "https://app.example.com/vietinbank/callback", summary: "OAuth callback URL registered on the application"),
                    AttributeSchema("subscriptions", .list(of: .object([
                        AttributeSchema("api", .string, .required, example: "erp-statement", summary: "API name in the portal catalogue"),
                        AttributeSchema("plan", .string, .required, example: "Default", summary: "plan chosen when subscribing"),
                        AttributeSchema("rate_limit", .string, .optional, pattern: ("^[0-9]+/(second|minute|hour|day)$", "a count per second, minute, hour or day, e.g. 100/minute"), example: "100/minute", summary: "the plan's rate limit"),
                    ])), .optional, example: "[{ api: erp-statement, plan: Default, rate_limit: 100/minute }]", summary: "APIs the application subscribes to"),
                ],
                naturalKey: ["name"],
                summary: "applications, their API subscriptions, plans and callback URLs: portal only",
                personSteps: [
                    "Log in to the VietinBank developer portal (https://developer.vietinbank.vn) and open Applications.",
                    "Create or edit application {name}; register callback URL {callback_url}.",
                    "Subscribe it to: {subscriptions}.",
                    "Keep the Client ID and Client Secret in this manifest's environment variables.",
                    "Record that it is done: provision confirm {address}",
                ]
            ),
            ResourceKindSchema(
                name: "consents",
                capability: .interactive,
                attributes: [
                    AttributeSchema("application", .reference(kind: "applications"), .required, immutable: true, example: "erp", summary: "the application (a name under applications) the customer consents to"),
                    AttributeSchema("scope", .string, .optional, example: "statement", summary: "OAuth scope to ask for"),
                    AttributeSchema("customer", .string, .optional, example: "ACME finance team", summary: "who gives consent, for the instructions"),
                ],
                summary: "a customer's OAuth authorization-code consent for an application",
                personSteps: [
                    "apply prints the authorization URL; the customer ({customer}) opens it, logs in to VietinBank and gives consent.",
                    "VietinBank redirects to the application's callback URL with a code, which apply exchanges for an access token.",
                ]
            ),
            ResourceKindSchema(
                name: "statement_push",
                capability: .managed,
                attributes: [
                    AttributeSchema("account", .string, .required, immutable: true, example: "\"108000123456\"", summary: "the account whose statements are pushed"),
                    AttributeSchema("notify_type", .string, .required, example: "FILE", summary: "notifyType of the registration"),
                    AttributeSchema("output_folder", .string, .optional, example: "/statements/acme", summary: "outputFolder of the registration"),
                    AttributeSchema("cron", .string, .required, example: "\"0 0 * * *\"", summary: "cronExpress: when statements are pushed"),
                ],
                naturalKey: ["account"],
                summary: "statement push registration per account (POST /erp/v1/statement/register; VietinBank has no read-back)"
            ),
        ]
    )
}

import PlanModel
extension ProviderTypeSchema {
    /// ICICI Bank API Banking: applications and plans in the portal; CIB registration by API and approval.
    public static let iciciAPIBanking = ProviderTypeSchema(
        type: "icici-api-banking",
        displayName: "ICICI Bank API Banking",
        settings: [
            AttributeSchema("endpoint", .endpoint, .required, example: "https://apibankingonesandbox.icicibank.com",
                            summary: "\"sandbox\", or the gateway: https://apibankingonesandbox.icicibank.com or https://apibankingone.icicibank.com"),
            AttributeSchema("api_key", .string, .required, sensitive: true, example: "${env:ICICI_API_KEY}", summary: "the application's API key (apikey header)"),
            AttributeSchema("bank_certificate", .string, .optional, example: "${file:keys/icici-uat-certificate.pem}", summary: "ICICI's PEM certificate that encrypts request payloads"),
            AttributeSchema("client_private_key", .string, .optional, sensitive: true, example: "${file:keys/acme-4096.pem}", summary: "your 4096-bit PEM private key that decrypts responses"),
            AttributeSchema("encryption", .enumeration(["hybrid", "asymmetric"]), .optional, default: .string("hybrid"), example: "hybrid",
                            summary: "payload encryption: hybrid (RSA-wrapped AES session key, JSON envelope) or asymmetric (legacy RSA-only products)"),
            AttributeSchema("oaep_hashing", .enumeration(["NONE", "SHA1"]), .optional, default: .string("NONE"), example: "NONE",
                            summary: "the envelope's oaepHashingAlgorithm: NONE for RSA/ECB/PKCS1Padding, SHA1 for RSA-OAEP with SHA-1"),
            AttributeSchema("iv_placement", .enumeration(["field", "prefix"]), .optional, default: .string("field"), example: "field",
                            summary: "where a request's IV travels: field (Base64 in iv, the portal's recommendation) or prefix (the first 16 bytes of encryptedData, iv \"\")"),
            AttributeSchema("session_key_length", .enumeration(["16", "32"]), .optional, default: .string("16"), example: "\"16\"",
                            summary: "digits in each request's random session key: 16 (AES-128) or 32 (AES-256)"),
            AttributeSchema("bank_id", .string, .optional, example: "ICI", summary: "BANKID sent with a CIB registration, when ICICI asks for it (default: not sent)"),
            AttributeSchema("client_certificate", .string, .optional, example: "${file:keys/acme-4096-certificate.pem}",
                            summary: "the PEM certificate of client_private_key you gave ICICI; provision check matches the two and reads its expiry"),
        ],
        kinds: [.iciciApplications, .iciciAccountPlan, .iciciCibRegistrations]
    )
}

extension ResourceKindSchema {
    /// ICICI API Banking's `applications`.
    public static let iciciApplications = ResourceKindSchema(
        name: "applications",
        capability: .manual,
        attributes: [
            AttributeSchema("name", .string, .required, example: "acme-payments", summary: "application name in the developer portal"),
            AttributeSchema("platform", .string, .required, example: "Web", summary: "platform chosen on the App Information tab"),
            AttributeSchema("description", .string, .optional, example: "Vendor payouts", summary: "description on the App Information tab"),
            AttributeSchema("apis", .list(of: .string), .required, example: "[CIB Registration, CIB Balance Inquiry]", summary: "APIs selected under API Management"),
            AttributeSchema("api_plan", .enumeration(["Sandbox", "Production"]), .optional, default: .string("Sandbox"), example: "Sandbox", summary: "API plan of the selected APIs"),
            AttributeSchema("callback_url", .url, .optional, example: "https://app.example.com/icici/callback", summary: "callback URL on the Authentication tab"),
            AttributeSchema("probes", .list(of: .object([
                AttributeSchema("api", .string, .required, example: "CIB Registration Status", summary: "an API of apis"),
                AttributeSchema("path", .string, .optional, pattern: ("^/[A-Za-z0-9/_.{}-]*$", "an operation path starting with /"), example: "/api/Corporate/CIB/v1/RegistrationStatus",
                                summary: "the path probed with an empty envelope {} (default: known per API)"),
            ])), .optional, example: "[{ api: Composite Pay, path: /api/v1/composite-status }]", summary: "probe paths for APIs the built-in table does not know"),
        ],
        naturalKey: ["name"],
        summary: "applications, their APIs and API plan: portal only (plan changes are requests ICICI approves)",
        personSteps: [
            "Log in to https://developer.icicibank.com → Dashboard → Applications and add or edit application {name} (platform {platform}).",
            "Under API Management select: {apis}.",
            "Request API plan {api_plan} (Edit → API Management → API Plan Change); ICICI approves it.",
            "Keep the application's API key in this manifest's environment variables (api_key).",
            "The next plan verifies the application and its APIs by probe; record what no probe can see (name, platform, callback URL): {confirm_command}",
        ]
    )

    /// ICICI API Banking's `account_plan`.
    public static let iciciAccountPlan = ResourceKindSchema(
        name: "account_plan",
        capability: .manual,
        isSingleton: true,
        attributes: [
            AttributeSchema("plan", .enumeration(["Bronze", "Standard", "Premium", "Production"]), .required, example: "Standard", summary: "the organisation's account plan"),
        ],
        summary: "the organisation's account plan: a request in the portal that ICICI approves",
        personSteps: [
            "As Organisation Administrator open https://developer.icicibank.com → Dashboard → Account Plan Change and request {plan}.",
            "When ICICI confirms, record it: {confirm_command}",
        ]
    )

    /// ICICI API Banking's `cib_registrations`.
    public static let iciciCibRegistrations = ResourceKindSchema(
        name: "cib_registrations",
        capability: .interactive,
        attributes: [
            AttributeSchema("corp_id", .string, .required, immutable: true, example: "CIBNEXT", summary: "CORPID of the corporate"),
            AttributeSchema("user_id", .string, .required, immutable: true, example: "USER1", summary: "USERID of the corporate user who approves"),
            AttributeSchema("aggr_id", .string, .required, immutable: true, example: "AGGR0001", summary: "AGGRID ICICI assigned to you"),
            AttributeSchema("aggr_name", .string, .required, immutable: true, example: "ACME", summary: "AGGRNAME ICICI assigned to you"),
            AttributeSchema("urn", .string, .required, immutable: true, example: "URN0001", summary: "your unique registration reference"),
            AttributeSchema("alias_id", .string, .optional, immutable: true, example: "ACMEALIAS", summary: "ALIASID, when ICICI gave one"),
        ],
        naturalKey: ["corp_id", "user_id"],
        summary: "Connected Banking registration: requested by API, approved by the corporate user, read back by status",
        personSteps: [
            "apply sends the Registration request; then it is waiting for corporate user {user_id} of {corp_id} to approve in CIB (ICICI's corporate internet banking).",
            "apply waits up to --wait for RegistrationStatus to say Registered; a later plan or apply picks it up.",
        ],
        // Registration is called with the application's API key: it waits while the application is a portal step.
        callsNeed: ["applications"]
    )
}

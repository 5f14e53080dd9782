import Foundation

/// ICICI's section of a seed file (`icici`): applications already made in the portal, and the client public key
/// (PEM) ICICI encrypts its answers to.
struct ICICISeed: Codable, Sendable {
    struct Application: Codable, Sendable {
        var apikey: String
        var name: String
        var platform: String?
        var apis: [String: String]?
        var disabled: Bool?

        var application: ICICIWorld.Application {
            ICICIWorld.Application(apikey: apikey, name: name, platform: platform, apis: apis ?? [:], disabled: disabled ?? false)
        }
    }

    var applications: [Application]
    var clientPublicKey: String?

    enum CodingKeys: String, CodingKey {
        case applications
        case clientPublicKey = "client_public_key"
    }

    /// The public half of the provider reference's throw-away test key (never for anything but tests and the sandbox).
    static let referenceTestKey = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvtOwfknKCyORuCOaPzjt
        cXCSBbyQHXcJDy+dj7nqe4sHq8iYazZ4S4OpKESfDQzDd19MoRpzlcO4gkGo4bEU
        lYHQH6fouFXhJgKTzuyHVBElAWQHMUz6VbIsXpMlUmhsChl0xLvLGo9Chjrbdtm/
        CufNUE2s8qxL3HT/ppLP3Uz5R0vZOaF/SszxJH8nb3xGc/bkbBry1rOSKBO0w//L
        6jtrRA0cEM5a9amNxlBac1OMHh9jGMLDLYjlPLLQ7JTkS44rsXoKVwCCbKkyL9r2
        Yf2JCXotewSmQ5xwiTVu9mMnwLkGG64ZBQ+eRMnLnkPZq6avMfV06O3CCC6MuQXj
        8QIDAQAB
        -----END PUBLIC KEY-----
        """

    /// No application yet (they are made through the operator surface); the reference's test key as the client's.
    static let defaults = ICICISeed(applications: [], clientPublicKey: referenceTestKey)

    /// Validates the `icici` section: no unknown keys, the documented types, unique API keys, a usable client key.
    static func read(_ section: Any) throws -> ICICISeed {
        try SandboxSeed.checkKeys(section, known: ["applications", "client_public_key"], at: "icici")
        let object = section as? [String: Any] ?? [:]
        try SandboxSeed.checkKeys(ofEach: object["applications"], known: ["apikey", "name", "platform", "apis", "disabled"], at: "icici.applications")
        var seed = try SandboxSeed.decode(ICICISeed.self, from: section)
        try SandboxSeed.checkUnique(seed.applications.map(\.apikey), what: "apikey", at: "icici.applications")
        if object["client_public_key"] == nil { seed.clientPublicKey = referenceTestKey }
        if let pem = seed.clientPublicKey, ICICICipher.publicKey(pem) == nil {
            throw SeedProblem(reason: "icici.client_public_key is not a PEM RSA public key")
        }
        return seed
    }
}

/// The APIs the sandbox's portal offers, by portal name, and the path each is served at.
enum ICICIPortalCatalogue {
    static let cib = "/api/Corporate/CIB/v1/"
    static let apis: [String: String] = [
        "CIB Registration": cib + "Registration",
        "CIB Registration Status": cib + "RegistrationStatus",
        "CIB Deregistration": cib + "Deregistration",
        "CIB Balance Inquiry": cib + "BalanceInquiry",
        "CIB Account Statement": cib + "AccountStatement",
        "CIB Transaction": cib + "Transaction",
        "CIB Transaction Inquiry": cib + "TransactionInquiry",
        "Composite Payment": "/api/v1/composite-payment",
        "Composite Status": "/api/v1/composite-status",
        "Composite Validation": "/api/v1/composite-validation",
    ]
    static let plans = ["Sandbox", "Production"]

    static func api(at path: String) -> String? {
        apis.first { $0.value == path }?.key
    }
}

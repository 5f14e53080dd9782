import Foundation

/// VietinBank's section of a seed file (`vietinbank`): applications already made in the portal, and the partners
/// (provider and merchant ids with the public key VietinBank checks their request signatures with).
struct VietinSeed: Codable, Sendable {
    struct Subscription: Codable, Sendable, Equatable {
        var api: String
        var plan: String
    }

    struct Application: Codable, Sendable, Equatable {
        var clientID: String
        var clientSecret: String
        var name: String
        var callbackURL: String?
        var subscriptions: [Subscription]?

        enum CodingKeys: String, CodingKey {
            case name, subscriptions
            case clientID = "client_id"
            case clientSecret = "client_secret"
            case callbackURL = "callback_url"
        }
    }

    struct Partner: Codable, Sendable, Equatable {
        var providerID: String
        var merchantID: String
        /// PEM `PUBLIC KEY` of the partner's signing key.
        var publicKey: String
        /// `SHA256` (the default) or `SHA1` (legacy connectors): the hash of the partner's signatures and of the bank's answers to it.
        var signatureHash: String?
        /// The accounts registered to the partner, whose statements it may ask for.
        var accounts: [Account]?

        enum CodingKeys: String, CodingKey {
            case providerID = "provider_id"
            case merchantID = "merchant_id"
            case publicKey = "public_key"
            case signatureHash = "signature_hash"
            case accounts
        }

        var hash: VietinHash { VietinHash(rawValue: (signatureHash ?? "SHA256").uppercased()) ?? .sha256 }
    }

    /// An account registered to a partner, with its statement.
    struct Account: Codable, Sendable, Equatable {
        var account: String
        var currency: String
        var openingBalance: String
        var transactions: [Transaction]

        enum CodingKeys: String, CodingKey {
            case account, currency, transactions
            case openingBalance = "opening_balance"
        }
    }

    /// One statement line: `date` as `DD-MM-YYYY HH:mm:ss`; one of `debit` and `credit` is empty.
    struct Transaction: Codable, Sendable, Equatable {
        var date: String
        var debit: String
        var credit: String
        var remark: String
    }

    var applications: [Application]
    var partners: [Partner]

    /// The public half of the provider reference's throw-away test key (never for anything but tests and the sandbox).
    static let referenceTestKey = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsluDUuWuxfN1qXIWtdQx
        Ujy3qupo9eyVnTHiuQb4AQxgYqphOdjQaSSy3wpB7dJb6y8n3k37qDWTqxrraecq
        gINdSLiZ1vtl8iXmFFN9wUei7IjJZEnh7IPqFjuzM4LmOgm5qHsPcYHw8A9Xt/LT
        H/CLXCXPcDhCKmScxJndhBj4phoUv+Z56aM7GtpmzRd8P0+UyHuBk8gC4343lXje
        e5n3KWRi7dj65gAcoOwaPo1IsFz9Ef7xIa90NN/RdljmltnYjbd5vly1nYMU0t2+
        ZHItgv54tZDtik6YNpI2+j5UCQD1Am2pPVM7L+7ba/a4H72yabN9kcS8SkXhHjdd
        bQIDAQAB
        -----END PUBLIC KEY-----
        """

    /// The sandbox partner's account, its statement built around the reference's own notify-trans sample.
    static let defaultAccount = Account(
        account: "108000123456", currency: "VND", openingBalance: "10000000",
        transactions: [
            Transaction(date: "01-02-2024 14:06:34", debit: "", credit: "875800", remark: "CT DEN:164T24200GKAJ7BY CK"),
            Transaction(date: "02-02-2024 09:15:00", debit: "22000", credit: "", remark: "PHI DICH VU"),
        ])

    /// No application yet (they are made in the portal, i.e. through the sandbox's operator calls); one partner with one account.
    static let defaults = VietinSeed(
        applications: [], partners: [Partner(providerID: "SBX", merchantID: "SBX001", publicKey: referenceTestKey, accounts: [defaultAccount])])

    /// Validates the `vietinbank` section: no unknown keys, the documented types, unique client ids and partners.
    static func read(_ section: Any) throws -> VietinSeed {
        try SandboxSeed.checkKeys(section, known: ["applications", "partners"], at: "vietinbank")
        let object = section as? [String: Any] ?? [:]
        try SandboxSeed.checkKeys(
            ofEach: object["applications"], known: ["client_id", "client_secret", "name", "callback_url", "subscriptions"],
            at: "vietinbank.applications")
        try SandboxSeed.checkKeys(
            ofEach: object["partners"], known: ["provider_id", "merchant_id", "public_key", "signature_hash", "accounts"], at: "vietinbank.partners")
        let seed = try SandboxSeed.decode(VietinSeed.self, from: section)
        try SandboxSeed.checkUnique(seed.applications.map(\.clientID), what: "client_id", at: "vietinbank.applications")
        try SandboxSeed.checkUnique(seed.partners.map { "\($0.providerID)/\($0.merchantID)" }, what: "partner", at: "vietinbank.partners")
        for partner in seed.partners {
            if VietinSigning.publicKey(partner.publicKey) == nil {
                throw SeedProblem(reason: "vietinbank.partners: public_key of \(partner.providerID) is not a PEM RSA public key")
            }
            if let hash = partner.signatureHash, VietinHash(rawValue: hash.uppercased()) == nil {
                throw SeedProblem(reason: "vietinbank.partners: signature_hash of \(partner.providerID) is \(hash), not SHA256 or SHA1")
            }
            for line in partner.accounts?.flatMap(\.transactions) ?? [] where VietinStatement.date(line.date) == nil {
                throw SeedProblem(reason: "vietinbank.partners: transaction date \(line.date) of \(partner.providerID) is not DD-MM-YYYY HH:mm:ss")
            }
        }
        return seed
    }
}

/// The APIs the sandbox's portal offers, the operations behind each, and the plans an application subscribes on.
enum VietinCatalogue {
    static let apis: [String: [String]] = [
        "erp-statement": ["/erp/v1/statement/inquiry", "/erp/v1/statement/register"],
        "erp-transfer": ["/erp/v1/account/benAcctInq", "/erp/v1/payment/transfer"],
    ]

    /// Plan name → (requests, window in seconds). The real plans and limits are not public.
    static let plans: [String: (requests: Int, seconds: Int)] = [
        "Default": (100, 60), "Trial": (2, 60), "Burst": (1, 1), "Unlimited": (1_000_000, 1),
    ]

    static func api(of operation: String) -> String? {
        apis.first { $0.value.contains(operation) }?.key
    }
}

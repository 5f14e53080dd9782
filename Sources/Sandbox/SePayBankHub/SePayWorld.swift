import Foundation

/// What a SePay route answers: an HTTP status, a JSON body, and the webhook events it caused.
struct SePayAnswer: Sendable {
    var status: Int
    var body: SePayJSON
    /// Events to deliver, already filtered by nothing: the simulator applies the webhook's `active` and `allow_events`.
    var events: [SePayWorld.Event] = []
    /// The merchant's webhook at the time of the change, when one is configured.
    var webhook: SePayWorld.Webhook? = nil

    /// `{"code":400,"message":"Bad request","errors":{field: why}}`.
    static func badRequest(_ errors: [String: String]) -> SePayAnswer {
        SePayAnswer(status: 400, body: ["code": 400, "message": "Bad request", "errors": .object(errors.mapValues(SePayJSON.string))])
    }

    /// `{"code":400,"message":"Validation error","errors":null}`, as link-token create answers.
    static let validationError = SePayAnswer(status: 400, body: ["code": 400, "message": "Validation error", "errors": nil])
    static let unauthenticated = SePayAnswer(status: 401, body: ["code": 401, "message": "Unauthenticated"])
    static let notFound = SePayAnswer(status: 404, body: ["code": 404, "message": "Resource not found"])

    static func ok(_ body: SePayJSON) -> SePayAnswer { SePayAnswer(status: 200, body: body) }

    /// The world could not be written; SePay documents 503 for a database error.
    static func unavailable(_ error: any Error) -> SePayAnswer {
        SePayAnswer(status: 503, body: ["code": 503, "message": .string("Service unavailable: \(error)")])
    }
}

/// The simulated SePay Bank Hub world: merchants, one per client, and everything they configure and link.
///
/// That is their companies, webhook, merchant config, link tokens, linked bank accounts and sandbox transactions.
///
/// Invariant: after every mutation the world is on disk (when a file is set), written to a temporary file
/// and renamed; a mutation whose write fails leaves the world unchanged. Access tokens live in memory only.
actor SePayWorld {
    struct Company: Codable, Sendable {
        var xid: String
        var merchant: String
        var fullName: String
        var shortName: String?
        var status: String
        var paymentCode: String
        var paymentCodePrefix: String?
        var paymentCodeSuffixFrom: Int?
        var paymentCodeSuffixTo: Int?
        var paymentCodeSuffixCharacterType: String?
        var dataStorageTime: String?
        /// `"Unlimited"`, a decimal integer, or nil.
        var transactionAmount: String?
        var createdAt: String
        var updatedAt: String
        var sequence: Int
    }

    struct Webhook: Codable, Sendable {
        var merchant: String
        var url: String
        var authType: String
        var secretKey: String
        var active: Int
        var allowEvents: [String]
    }

    struct MerchantConfig: Codable, Sendable {
        var merchant: String
        var keywords: [String] = []
        var css: String?
        var logoURL: String?
        /// The stored logo's file name, `{merchant}-{timestamp}.png`.
        var logoFile: String?
    }

    struct Event: Codable, Sendable {
        var xid: String
        var name: String
        var metadata: SePayJSON
        var timestamp: Int
        var createdAt: String
    }

    struct Session: Codable, Sendable {
        var xid: String
        var state: String
        var status: String
        var result: SePayJSON
        var finishedAt: String?
        var expiresAt: String
        var createdAt: String
        var updatedAt: String
    }

    struct LinkToken: Codable, Sendable {
        var xid: String
        var token: String
        var merchant: String
        var companyXid: String
        var purpose: String
        var completionRedirectURI: String?
        var isMobileApp: Int
        var language: String
        var bankAccountXid: String?
        /// `Active`, `Used` or `Revoked`; `Expired` is computed from `expiresAt`.
        var status: String
        var sessionCount: Int
        var sessions: [Session]
        var events: [Event]
        var createdAt: String
        var updatedAt: String
        /// Unix seconds.
        var expiresAt: Double
    }

    struct BankAccount: Codable, Sendable {
        var xid: String
        var merchant: String
        var companyXid: String
        var brandName: String
        var accountHolderName: String
        var accountNumber: String
        var accountType: String
        var identificationNumber: String?
        var phoneNumber: String?
        var lastTransaction: String?
        var createdAt: String
        var updatedAt: String
        var sequence: Int
    }

    struct Transaction: Codable, Sendable {
        var transactionID: String
        var merchant: String
        var bankAccountXid: String
        var companyXid: String
        var brandName: String
        var accountNumber: String
        var referenceNumber: String
        /// `in` or `out`.
        var transferType: String
        var amount: Int
        var content: String
        var paymentCode: String?
        var transactionDate: String
        var sequence: Int
    }

    struct Snapshot: Codable, Sendable {
        var clients: [SePaySeed.Client]
        var companies: [Company] = []
        var webhooks: [Webhook] = []
        var merchantConfigs: [MerchantConfig] = []
        var linkTokens: [LinkToken] = []
        var bankAccounts: [BankAccount] = []
        var transactions: [Transaction] = []
        /// Increases with every created record; orders lists newest first when timestamps tie.
        var sequence: Int = 0
    }

    var snapshot: Snapshot
    let file: URL?
    /// Logos uploaded while running without a data folder, by file name.
    var memoryLogos: [String: [UInt8]] = [:]
    /// Access token → (client id, expiry).
    private var accessTokens: [String: (merchant: String, expires: Date)] = [:]

    init(file: URL?, seed: SePaySeed) throws {
        self.file = file
        if let saved = try WorldFile.load(Snapshot.self, from: file) {
            snapshot = saved
        } else {
            snapshot = Snapshot(clients: seed.clients)
            try WorldFile.write(snapshot, to: file)
        }
    }

    // MARK: Authentication

    /// A new access token for a client whose secret matches, valid for `ttl` seconds from `now`.
    func issueToken(clientID: String, secret: String, ttl: Int, now: Date) -> String? {
        guard snapshot.clients.contains(where: { $0.clientID == clientID && $0.clientSecret == secret }) else { return nil }
        accessTokens = accessTokens.filter { $0.value.expires > now }
        var token: String
        repeat { token = SePayText.randomHex(bytes: 20) } while accessTokens[token] != nil
        accessTokens[token] = (clientID, now.addingTimeInterval(TimeInterval(ttl)))
        return token
    }

    /// The merchant (client id) a bearer token belongs to, while it has not expired.
    func merchant(bearer token: String, now: Date) -> String? {
        guard let entry = accessTokens[token], now < entry.expires else { return nil }
        return entry.merchant
    }

    // MARK: Persistence

    /// Applies `change` to a copy of the world, writes it, and only then makes it the world.
    func commit<T>(_ change: (inout Snapshot) throws -> T) throws -> T {
        var next = snapshot
        let result = try change(&next)
        try WorldFile.write(next, to: file)
        snapshot = next
        return result
    }


    // MARK: Shared helpers

    func webhook(for merchant: String) -> Webhook? {
        snapshot.webhooks.first { $0.merchant == merchant }
    }

    /// A new event, stamped with the world clock.
    static func event(_ name: String, _ metadata: [String: SePayJSON], now: Date) -> Event {
        Event(
            xid: SePayText.newXID(), name: name, metadata: .object(metadata), timestamp: Int(now.timeIntervalSince1970),
            createdAt: SePayText.timestamp(now))
    }

    /// Reads `page` and `per_page` (and the aliases in `perPageNames`): 1-based page, 1...100 per page, default 20.
    static func paging(_ query: [String: String], perPageNames: [String] = ["per_page"]) -> Result<(page: Int, perPage: Int), SePayError> {
        var errors: [String: String] = [:]
        var page = 1
        if let text = query["page"] {
            if let value = Int(text), value >= 1 { page = value } else { errors["page"] = "The page must be an integer of at least 1." }
        }
        var perPage = 20
        for name in perPageNames {
            guard let text = query[name] else { continue }
            if let value = Int(text), (1...100).contains(value) {
                perPage = value
            } else {
                errors[name] = "The \(name) must be an integer between 1 and 100."
            }
        }
        return errors.isEmpty ? .success((page, perPage)) : .failure(SePayError(answer: .badRequest(errors)))
    }

    /// The slice of `items` for a page, and the `{per_page,total,has_more,current_page,page_count}` meta.
    static func pageOf<T>(_ items: [T], page: Int, perPage: Int) -> (items: ArraySlice<T>, meta: SePayJSON) {
        let pageCount = (items.count + perPage - 1) / perPage
        let start = min((page - 1) * perPage, items.count)
        let slice = items[start..<min(start + perPage, items.count)]
        let meta: SePayJSON = [
            "per_page": .int(perPage), "total": .int(items.count), "has_more": .bool(page < pageCount),
            "current_page": .int(page), "page_count": .int(pageCount),
        ]
        return (slice, meta)
    }
}

/// A route's early failure, carried through `Result`.
struct SePayError: Error {
    var answer: SePayAnswer
}

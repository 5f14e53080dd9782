import Foundation

/// Finan One's section of a seed file (`finan`): the API clients, and the master accounts bank accounts open under.
struct FinanSeed: Codable, Sendable {
    struct Client: Codable, Sendable, Equatable {
        var clientID: String
        var secretKey: String

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case secretKey = "secret_key"
        }
    }

    struct Master: Codable, Sendable, Equatable {
        /// Nil in the seed file gets a generated id.
        var accountID: String?
        var accountNumber: String
        var accountName: String
        var bankCode: String

        enum CodingKeys: String, CodingKey {
            case accountID = "account_id"
            case accountNumber = "account_number"
            case accountName = "account_name"
            case bankCode = "bank_code"
        }
    }

    var clients: [Client]
    var masterAccounts: [Master]

    enum CodingKeys: String, CodingKey {
        case clients
        case masterAccounts = "master_accounts"
    }

    static let defaultMasterID = "3c919ce1-b310-47ae-9727-f9323ac4fba7"

    static let defaults = FinanSeed(
        clients: [Client(clientID: "sandbox-client-id", secretKey: "sandbox-secret-key")],
        masterAccounts: [Master(accountID: defaultMasterID, accountNumber: "0933450210", accountName: "CONG TY SANDBOX", bankCode: "MB")])

    /// Validates the `finan` section: no unknown keys, the documented types, unique client and master ids.
    static func read(_ section: Any) throws -> FinanSeed {
        try SandboxSeed.checkKeys(section, known: ["clients", "master_accounts"], at: "finan")
        let object = section as? [String: Any] ?? [:]
        try SandboxSeed.checkKeys(ofEach: object["clients"], known: ["client_id", "secret_key"], at: "finan.clients")
        try SandboxSeed.checkKeys(
            ofEach: object["master_accounts"], known: ["account_id", "account_number", "account_name", "bank_code"],
            at: "finan.master_accounts")
        let seed = try SandboxSeed.decode(FinanSeed.self, from: section)
        try SandboxSeed.checkUnique(seed.clients.map(\.clientID), what: "client_id", at: "finan.clients")
        try SandboxSeed.checkUnique(seed.masterAccounts.compactMap(\.accountID), what: "account_id", at: "finan.master_accounts")
        return seed
    }
}

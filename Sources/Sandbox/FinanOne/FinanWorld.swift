import Foundation

/// The simulated Finan One world: clients, master accounts, bank accounts.
///
/// Invariant: after every mutation the world is on disk (when a file is set), written to a temp file and renamed.
actor FinanWorld {
    struct Master: Codable, Sendable {
        var accountID: String
        var accountNumber: String
        var accountName: String
        var bankCode: String
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case accountID = "account_id"
            case accountNumber = "account_number"
            case accountName = "account_name"
            case bankCode = "bank_code"
            case createdAt = "created_at"
        }
    }

    struct Account: Codable, Sendable {
        var accountID: String
        var masterAccountID: String
        var accountNumber: String
        var accountName: String
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case accountID = "account_id"
            case masterAccountID = "master_account_id"
            case accountNumber = "account_number"
            case accountName = "account_name"
            case createdAt = "created_at"
        }
    }

    struct Snapshot: Codable, Sendable {
        var clients: [FinanSeed.Client]
        var masters: [Master]
        var accounts: [Account]
        var sequence: Int
    }

    enum CreateOutcome: Sendable {
        case created(Account, Master)
        case unknownMaster
        case duplicate
    }

    private var snapshot: Snapshot
    private let file: URL?

    init(file: URL?, seed: FinanSeed) throws {
        self.file = file
        if let saved = try WorldFile.load(Snapshot.self, from: file) {
            snapshot = saved
        } else {
            snapshot = Snapshot(
                clients: seed.clients,
                masters: seed.masterAccounts.map {
                    Master(
                        accountID: $0.accountID ?? UUID().uuidString.lowercased(), accountNumber: $0.accountNumber,
                        accountName: $0.accountName, bankCode: $0.bankCode, createdAt: "2024-01-15T10:30:00Z")
                },
                accounts: [], sequence: 0)
            try WorldFile.write(snapshot, to: file)
        }
    }

    func secret(for clientID: String) -> String? {
        snapshot.clients.first { $0.clientID == clientID }?.secretKey
    }

    func masters() -> [Master] { snapshot.masters }
    func accounts() -> [Account] { snapshot.accounts }

    /// Adds an account under `masterID`; the world changes only once the new state is on disk.
    func createAccount(masterID: String, name: String, now: Date) throws -> CreateOutcome {
        guard let master = snapshot.masters.first(where: { $0.accountID == masterID }) else { return .unknownMaster }
        let key = Self.normalise(name)
        if snapshot.accounts.contains(where: { $0.masterAccountID == masterID && Self.normalise($0.accountName) == key }) {
            return .duplicate
        }
        var next = snapshot
        next.sequence += 1
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let suffix = String(String(10000 + next.sequence % 10000).dropFirst())
        var number: String
        repeat {
            number = "VQR" + String((0..<6).map { _ in letters.randomElement()! }) + suffix
        } while next.accounts.contains(where: { $0.accountNumber == number })
        let account = Account(
            accountID: UUID().uuidString.lowercased(), masterAccountID: masterID, accountNumber: number,
            accountName: name, createdAt: Self.timestamp(now))
        next.accounts.append(account)
        try WorldFile.write(next, to: file)
        snapshot = next
        return .created(account, master)
    }

    static func normalise(_ name: String) -> String {
        name.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

}

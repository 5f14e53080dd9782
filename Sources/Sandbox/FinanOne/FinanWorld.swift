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
    /// Every account's master id and normalised name, and every account number: what a create checks against.
    private var taken: (names: Set<String>, numbers: Set<String>) = ([], [])

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
        taken = (Set(snapshot.accounts.map { Self.key($0.masterAccountID, $0.accountName) }), Set(snapshot.accounts.map(\.accountNumber)))
    }

    static func key(_ masterID: String, _ name: String) -> String {
        masterID + "\u{0}" + normalise(name)
    }

    func secret(for clientID: String) -> String? {
        snapshot.clients.first { $0.clientID == clientID }?.secretKey
    }

    func masters() -> [Master] { snapshot.masters }
    func accounts() -> [Account] { snapshot.accounts }

    /// Adds an account under `masterID`; the world changes only once the new state is on disk.
    func createAccount(masterID: String, name: String, now: Date) throws -> CreateOutcome {
        guard let master = snapshot.masters.first(where: { $0.accountID == masterID }) else { return .unknownMaster }
        let key = Self.key(masterID, name)
        if taken.names.contains(key) { return .duplicate }
        let sequence = snapshot.sequence + 1
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let suffix = String(String(10000 + sequence % 10000).dropFirst())
        var number: String
        repeat {
            number = "VQR" + String((0..<6).map { _ in letters.randomElement()! }) + suffix
        } while taken.numbers.contains(number)
        let account = Account(
            accountID: UUID().uuidString.lowercased(), masterAccountID: masterID, accountNumber: number,
            accountName: name, createdAt: Self.timestamp(now))
        // Changed in place (no copy of every account per create), and put back if it cannot be written.
        snapshot.sequence = sequence
        snapshot.accounts.append(account)
        do {
            try WorldFile.write(snapshot, to: file)
        } catch {
            snapshot.accounts.removeLast()
            snapshot.sequence -= 1
            throw error
        }
        taken.names.insert(key)
        taken.numbers.insert(number)
        return .created(account, master)
    }

    static func normalise(_ name: String) -> String {
        name.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `2024-01-15T10:30:00Z`, with a style made once rather than a formatter per create.
    static func timestamp(_ date: Date) -> String {
        date.formatted(timestampStyle)
    }

    static let timestampStyle = Date.ISO8601FormatStyle()

}

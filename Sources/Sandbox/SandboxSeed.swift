import Foundation

/// The starting world of the simulators: built-in defaults, or a seed file that replaces them.
struct SandboxSeed: Sendable {
    struct FinanClient: Codable, Sendable, Equatable {
        var clientID: String
        var secretKey: String

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case secretKey = "secret_key"
        }
    }

    struct FinanMaster: Codable, Sendable, Equatable {
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

    struct Finan: Codable, Sendable {
        var clients: [FinanClient]
        var masterAccounts: [FinanMaster]

        enum CodingKeys: String, CodingKey {
            case clients
            case masterAccounts = "master_accounts"
        }
    }

    struct SePayClient: Codable, Sendable, Equatable {
        var clientID: String
        var clientSecret: String

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case clientSecret = "client_secret"
        }
    }

    struct SePay: Codable, Sendable {
        var clients: [SePayClient]
    }

    var finan: Finan
    var sepay: SePay

    static let defaultMasterID = "3c919ce1-b310-47ae-9727-f9323ac4fba7"

    static let defaults = SandboxSeed(finan: Finan(
        clients: [FinanClient(clientID: "sandbox-client-id", secretKey: "sandbox-secret-key")],
        masterAccounts: [FinanMaster(accountID: defaultMasterID, accountNumber: "0933450210", accountName: "CONG TY SANDBOX", bankCode: "MB")]),
        sepay: SePay(clients: [SePayClient(clientID: "sandbox-client-id", clientSecret: "sandbox-client-secret")]))

    static let knownSections = ["finan", "sepay", "vietinbank", "icici"]

    /// Reads a seed file; a bank it does not name keeps its defaults.
    static func load(path: String) throws -> SandboxSeed {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SandboxError.unreadableSeed(path: path, reason: error.localizedDescription)
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SandboxError.invalidSeed(path: path, reason: "not valid JSON (\((error as NSError).localizedDescription))")
        }
        guard let top = parsed as? [String: Any] else {
            throw SandboxError.invalidSeed(path: path, reason: "the top level must be a JSON object such as {\"finan\": {...}}")
        }
        if let unknown = top.keys.sorted().first(where: { !knownSections.contains($0) }) {
            throw SandboxError.invalidSeed(path: path, reason: "unknown section \"\(unknown)\"; known: \(knownSections.joined(separator: ", "))")
        }
        var seed = defaults
        if let finan = top["finan"] {
            do {
                try checkKeys(finan, known: ["clients", "master_accounts"], at: "finan")
                let section = finan as? [String: Any] ?? [:]
                for (index, client) in (section["clients"] as? [Any] ?? []).enumerated() {
                    try checkKeys(client, known: ["client_id", "secret_key"], at: "finan.clients[\(index)]")
                }
                for (index, master) in (section["master_accounts"] as? [Any] ?? []).enumerated() {
                    try checkKeys(
                        master, known: ["account_id", "account_number", "account_name", "bank_code"],
                        at: "finan.master_accounts[\(index)]")
                }
                seed.finan = try JSONDecoder().decode(Finan.self, from: JSONSerialization.data(withJSONObject: finan))
                try checkUnique(seed.finan.clients.map(\.clientID), what: "client_id", at: "finan.clients")
                try checkUnique(seed.finan.masterAccounts.compactMap(\.accountID), what: "account_id", at: "finan.master_accounts")
            } catch let error as DecodingError {
                throw SandboxError.invalidSeed(path: path, reason: "finan: \(describe(error))")
            } catch let problem as SeedProblem {
                throw SandboxError.invalidSeed(path: path, reason: problem.reason)
            }
        }
        if let sepay = top["sepay"] {
            do {
                guard let section = sepay as? [String: Any] else {
                    throw SeedProblem(reason: "sepay must be an object such as {\"clients\": [...]}")
                }
                try checkKeys(section, known: ["clients"], at: "sepay")
                for (index, client) in (section["clients"] as? [Any] ?? []).enumerated() {
                    try checkKeys(client, known: ["client_id", "client_secret"], at: "sepay.clients[\(index)]")
                }
                seed.sepay = try JSONDecoder().decode(SePay.self, from: JSONSerialization.data(withJSONObject: sepay))
                try checkUnique(seed.sepay.clients.map(\.clientID), what: "client_id", at: "sepay.clients")
                if let bad = seed.sepay.clients.firstIndex(where: { $0.clientID.isEmpty || $0.clientSecret.isEmpty || $0.clientID.contains(":") }) {
                    throw SeedProblem(reason: "sepay.clients[\(bad)]: client_id and client_secret must not be empty, and client_id must not contain \":\" (Basic authentication)")
                }
            } catch let error as DecodingError {
                throw SandboxError.invalidSeed(path: path, reason: "sepay: \(describe(error))")
            } catch let problem as SeedProblem {
                throw SandboxError.invalidSeed(path: path, reason: problem.reason)
            }
        }
        return seed
    }

    /// A structural mistake in a seed section, reported with its location.
    struct SeedProblem: Error {
        var reason: String
    }

    /// Rejects keys a section does not define, so a misspelt optional field is not silently ignored.
    static func checkKeys(_ value: Any, known: [String], at location: String) throws {
        guard let object = value as? [String: Any] else { return }
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw SeedProblem(reason: "unknown key \"\(unknown)\" in \(location); known: \(known.joined(separator: ", "))")
        }
    }

    static func checkUnique(_ values: [String], what: String, at location: String) throws {
        var seen: Set<String> = []
        for value in values where !seen.insert(value).inserted {
            throw SeedProblem(reason: "\(what) \"\(value)\" appears twice in \(location)")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(pathText(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(pathText(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }

    static func pathText(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "top level" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Why the sandbox could not start.
public enum SandboxError: Error, CustomStringConvertible, Sendable {
    case unreadableSeed(path: String, reason: String)
    case invalidSeed(path: String, reason: String)
    case unreadableWorld(path: String, reason: String)
    case unwritableWorld(path: String, reason: String)
    case bindFailed(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadableSeed(let path, let reason):
            return "Cannot read sandbox seed file \(path): \(reason). Check the path."
        case .invalidSeed(let path, let reason):
            return "Invalid sandbox seed file \(path): \(reason). See docs/sandbox.md for the format."
        case .unreadableWorld(let path, let reason):
            return "Cannot read the sandbox world \(path): \(reason). Delete it to start from the seed again."
        case .unwritableWorld(let path, let reason):
            return "Cannot write the sandbox world \(path): \(reason). Check the data folder's permissions."
        case .bindFailed(let host, let port, let reason):
            return "Cannot listen on \(host):\(port): \(reason). Pick another --port, or 0 for any free port."
        }
    }
}

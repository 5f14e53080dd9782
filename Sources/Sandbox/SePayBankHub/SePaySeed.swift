import Foundation

/// SePay Bank Hub's section of a seed file (`sepay`): the API clients, one merchant each.
struct SePaySeed: Codable, Sendable {
    struct Client: Codable, Sendable, Equatable {
        var clientID: String
        var clientSecret: String

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case clientSecret = "client_secret"
        }
    }

    var clients: [Client]

    static let defaults = SePaySeed(clients: [Client(clientID: "sandbox-client-id", clientSecret: "sandbox-client-secret")])

    /// Validates the `sepay` section: an object with no unknown keys, unique client ids usable in Basic authentication.
    static func read(_ section: Any) throws -> SePaySeed {
        guard let object = section as? [String: Any] else {
            throw SeedProblem(reason: "sepay must be an object such as {\"clients\": [...]}")
        }
        try SandboxSeed.checkKeys(object, known: ["clients"], at: "sepay")
        try SandboxSeed.checkKeys(ofEach: object["clients"], known: ["client_id", "client_secret"], at: "sepay.clients")
        let seed = try SandboxSeed.decode(SePaySeed.self, from: section)
        try SandboxSeed.checkUnique(seed.clients.map(\.clientID), what: "client_id", at: "sepay.clients")
        if let bad = seed.clients.firstIndex(where: { $0.clientID.isEmpty || $0.clientSecret.isEmpty || $0.clientID.contains(":") }) {
            throw SeedProblem(
                reason: "sepay.clients[\(bad)]: client_id and client_secret must not be empty, and client_id must not contain \":\" (Basic authentication)")
        }
        return seed
    }
}

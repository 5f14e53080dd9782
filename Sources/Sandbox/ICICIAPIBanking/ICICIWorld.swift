import Foundation

/// What an ICICI route answers: an HTTP status, a body and its content type.
struct ICICIAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    var contentType = "application/json"

    static func json(_ status: Int, _ object: [String: Any]) -> ICICIAnswer {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return ICICIAnswer(status: status, body: Array(data))
    }

    /// The gateway's own error: plain JSON, never encrypted.
    static func gateway(_ status: Int, _ code: String, _ message: String) -> ICICIAnswer {
        json(status, ["success": false, "code": code, "message": message])
    }
}

/// The simulated ICICI world: portal applications (API key, selected APIs and their plans, disabled or not), the
/// client's public key ICICI encrypts answers to, and CIB registrations.
///
/// Invariant: after every mutation the world is on disk (when a file is set).
actor ICICIWorld {
    struct Application: Codable, Sendable, Equatable {
        var apikey: String
        var name: String
        var platform: String?
        /// API name → plan (`Sandbox` or `Production`).
        var apis: [String: String]
        var disabled: Bool
    }

    struct Registration: Codable, Sendable, Equatable {
        var corpID: String
        var userID: String
        var aggrID: String
        var aggrName: String
        var urn: String
        var aliasID: String?
        /// `Pending for Self Approval`, `Registered`, `REJECTED` (by the corporate user) or `Deregistered`.
        var status: String
    }

    struct Snapshot: Codable, Sendable {
        var applications: [Application]
        var clientPublicKey: String?
        var registrations: [Registration] = []
    }

    var snapshot: Snapshot
    let file: URL?

    init(file: URL?, seed: ICICISeed) throws {
        self.file = file
        snapshot = try WorldFile.load(Snapshot.self, from: file)
            ?? Snapshot(applications: seed.applications.map(\.application), clientPublicKey: seed.clientPublicKey)
        try WorldFile.write(snapshot, to: file)
    }

    /// Applies `change` and writes the world; a write that fails leaves the world as it was and answers 500.
    func mutate(_ change: (inout Snapshot) -> ICICIAnswer) -> ICICIAnswer {
        WorldFile.mutate(&snapshot, file: file, change) { .gateway(500, "8010", "The sandbox could not save its world: \($0)") }
    }

    /// The gateway's checks: a known, enabled key (401), the API selected on this gateway's plan (403); nil lets it through.
    func admit(apikey: String?, api: String?, gatewayPlan: String) -> ICICIAnswer? {
        guard let apikey, let app = snapshot.applications.first(where: { $0.apikey == apikey }), !app.disabled else {
            return .gateway(401, "401", "Unauthorized: invalid or disabled API key")
        }
        guard let api, let plan = app.apis[api] else {
            return .gateway(403, "403", "Unauthorized API Access: the application has not selected this API")
        }
        guard plan == gatewayPlan else {
            return .gateway(403, "403", "Unauthorized API Access: the API is on the \(plan) plan, which this \(gatewayPlan) gateway does not serve")
        }
        return nil
    }

    func clientKey() -> String? {
        snapshot.clientPublicKey
    }
}

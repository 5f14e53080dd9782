import Foundation

/// What a VietinBank route answers: an HTTP status, a JSON (or HTML, or PEM) body and extra headers.
struct VietinAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    var headers: [(String, String)] = [("Content-Type", "application/json")]

    static func json(_ status: Int, _ object: [String: Any], headers: [(String, String)] = []) -> VietinAnswer {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return VietinAnswer(status: status, body: Array(data), headers: [("Content-Type", "application/json")] + headers)
    }

    /// The gateway's envelope, `httpCode` a string.
    static func gateway(_ status: Int, _ message: String, _ information: String, headers: [(String, String)] = []) -> VietinAnswer {
        json(status, ["httpCode": String(status), "httpMessage": message, "moreInformation": information], headers: headers)
    }

    /// An OAuth error (RFC 6749 §5.2).
    static func oauth(_ error: String, _ description: String, status: Int = 400) -> VietinAnswer {
        json(status, ["error": error, "error_description": description])
    }

    static func redirect(_ location: String) -> VietinAnswer {
        VietinAnswer(status: 302, body: [], headers: [("Location", location)])
    }

    static func html(_ status: Int, _ page: String) -> VietinAnswer {
        VietinAnswer(status: status, body: Array(page.utf8), headers: [("Content-Type", "text/html; charset=utf-8")])
    }
}

/// The simulated VietinBank world: portal applications and their subscriptions, partners, statement push
/// registrations, request ids seen, and the OAuth server's consent requests, codes and tokens.
///
/// Invariant: after every mutation the world is on disk (when a file is set); plan rate-limit windows live in memory.
actor VietinWorld {
    struct Registration: Codable, Sendable {
        var providerID: String
        var merchantID: String
        var account: String
        var notifyType: String
        var outputFolder: String?
        var cronExpress: String
        var requestID: String
    }

    /// An authorization request waiting for the customer (the sandbox operator) to approve or deny it.
    struct ConsentRequest: Codable, Sendable {
        var id: String
        var clientID: String
        var redirectURI: String
        var scope: String?
        var state: String?
        var challenge: String
        var decided: Bool
        /// Once decided: whether it was approved, and the redirect it was answered with (a repeat gets the same one).
        var approved: Bool?
        var answer: String?
    }

    struct Code: Codable, Sendable {
        var code: String
        var clientID: String
        var redirectURI: String
        var challenge: String
        var scope: String?
        var expiresAt: Double
        var used: Bool
    }

    struct Token: Codable, Sendable {
        var access: String
        var refresh: String
        var clientID: String
        var scope: String?
        var expiresAt: Double
        /// False once the refresh token was used (refresh tokens rotate).
        var refreshable: Bool
    }

    struct Snapshot: Codable, Sendable {
        var applications: [VietinSeed.Application]
        var partners: [VietinSeed.Partner]
        var registrations: [Registration] = []
        var requestIDs: [String] = []
        var consentRequests: [ConsentRequest] = []
        var codes: [Code] = []
        var tokens: [Token] = []
    }

    var snapshot: Snapshot
    let file: URL?
    /// Client id + API → the start of the current window and the calls in it.
    var windows: [String: (start: Double, count: Int)] = [:]

    init(file: URL?, seed: VietinSeed) throws {
        self.file = file
        snapshot = try WorldFile.load(Snapshot.self, from: file) ?? Snapshot(applications: seed.applications, partners: seed.partners)
        try WorldFile.write(snapshot, to: file)
    }

    /// Applies `change` and writes the world; a write that fails leaves the world as it was and answers 500.
    func mutate(_ change: (inout Snapshot) -> VietinAnswer) -> VietinAnswer {
        WorldFile.mutate(&snapshot, file: file, change) { .gateway(500, "Internal Server Error", "The sandbox could not save its world: \($0)") }
    }

    func application(_ clientID: String) -> VietinSeed.Application? {
        snapshot.applications.first { $0.clientID == clientID }
    }

    /// The gateway: credentials, subscription of the operation's API, and its plan's limit; nil lets the call through.
    func admit(clientID: String?, secret: String?, api: String, now: Date) -> VietinAnswer? {
        guard let clientID, let app = application(clientID), app.clientSecret == secret else {
            return .gateway(401, "Unauthorized", "Invalid client id or secret.")
        }
        guard let plan = app.subscriptions?.first(where: { $0.api == api })?.plan else {
            return .gateway(401, "Unauthorized", "Client id not registered.")
        }
        let limit = VietinCatalogue.plans[plan] ?? (100, 60)
        let key = "\(clientID) \(api)"
        let time = now.timeIntervalSince1970
        var window = windows[key] ?? (time, 0)
        if time - window.start >= Double(limit.seconds) { window = (time, 0) }
        guard window.count < limit.requests else {
            let wait = max(1, Int((window.start + Double(limit.seconds) - time).rounded(.up)))
            return .gateway(429, "Too Many Requests", "Rate Limit exceeded", headers: [("Retry-After", String(wait))])
        }
        window.count += 1
        windows[key] = window
        return nil
    }

    func partner(provider: String, merchant: String) -> VietinSeed.Partner? {
        snapshot.partners.first { $0.providerID == provider && $0.merchantID == merchant }
    }

    func seen(_ requestID: String) -> Bool {
        snapshot.requestIDs.contains(requestID)
    }

    func registrations() -> [Registration] {
        snapshot.registrations
    }
}

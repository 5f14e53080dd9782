import Crypto
import Foundation
import PlanModel
import Reconciler

/// PKCE (RFC 7636, S256) and the random `state` of an authorization request.
enum VietinBankPKCE {
    /// 32 random bytes, base64url without padding (43 characters).
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    /// `BASE64URL(SHA256(verifier))`, without padding.
    static func challenge(_ verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// A consent's tokens as kept in the secrets folder; `expires_at` in seconds since 1970.
struct VietinBankTokens {
    var access: Sensitive
    var refresh: Sensitive?
    var expiresAt: Double
    var scope: String?
    var customer: String?

    init?(_ secrets: [String: Sensitive]) {
        guard let access = secrets["access_token"], let expiry = secrets["expires_at"].flatMap({ Double($0.revealed) }) else { return nil }
        self.access = access
        refresh = secrets["refresh_token"]
        expiresAt = expiry
        scope = secrets["scope"]?.revealed
        customer = secrets["customer"]?.revealed
    }

    init(_ issued: VietinBankIssuedToken, now: Date, for consent: Resource, keeping old: Sensitive? = nil) {
        access = Sensitive(issued.accessToken)
        refresh = issued.refreshToken.map(Sensitive.init) ?? old
        expiresAt = now.timeIntervalSince1970 + issued.lifetime
        scope = consent.attributes["scope"]?.revealedText
        customer = consent.attributes["customer"]?.revealedText
    }

    /// Expired, or expiring within half a minute.
    func expired(at now: Date) -> Bool {
        now.timeIntervalSince1970 >= expiresAt - 30
    }

    var secrets: [String: Sensitive] {
        var secrets = ["access_token": access, "expires_at": Sensitive(String(Int(expiresAt)))]
        secrets["refresh_token"] = refresh
        secrets["scope"] = scope.map(Sensitive.init)
        secrets["customer"] = customer.map(Sensitive.init)
        return secrets
    }
}

/// The token endpoint's answer.
struct VietinBankIssuedToken: Decodable {
    var accessToken: String
    var refreshToken: String?
    var expiresIn: Double?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresIn = "expires_in"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = try container.decode(String.self, forKey: .accessToken)
        refreshToken = try container.decodeIfPresent(String.self, forKey: .refreshToken)
        expiresIn = (try? container.decodeIfPresent(Double.self, forKey: .expiresIn))
            ?? (try? container.decodeIfPresent(String.self, forKey: .expiresIn)).flatMap { $0.flatMap(Double.init) }
    }

    /// Seconds it stays valid; an hour when the answer does not say (the real lifetime is not public).
    var lifetime: Double { expiresIn ?? 3600 }
}

/// Authorization requests started by this process, by consent address, with the listener of a loopback callback.
actor VietinBankConsentFlows {
    struct Flow: Sendable {
        var state: Sensitive
        var verifier: Sensitive
        var redirectURI: String
        var url: String
        var receiver: LoopbackRedirectReceiver?
    }

    var flows: [ResourceAddress: Flow] = [:]

    func flow(_ address: ResourceAddress) -> Flow? {
        flows[address]
    }

    func start(_ flow: Flow, for address: ResourceAddress) {
        flows[address] = flow
    }

    /// Forgets the request and stops its listener.
    func end(_ address: ResourceAddress) async {
        await flows.removeValue(forKey: address)?.receiver?.close()
    }
}

extension VietinBankClient {
    /// `POST token_url`, form-encoded, with the gateway headers.
    func token(_ form: [(String, String)]) async throws -> VietinBankIssuedToken {
        let api = BankAPI(bank: Self.bank, baseURL: tokenURL, transport: connection.pipeline.transport(), errors: plain.errors)
        return try await api.send(
            "POST", "", headers: headers(contentType: "application/x-www-form-urlencoded"), body: VietinBankJSON.form(form),
            as: VietinBankIssuedToken.self)
    }

    /// The authorization URL a customer opens.
    func authorizationURL(_ flow: VietinBankConsentFlows.Flow, scope: String?) -> String {
        var query = [("response_type", "code"), ("client_id", settings.clientID), ("redirect_uri", flow.redirectURI)]
        if let scope { query.append(("scope", scope)) }
        query += [("state", flow.state.revealed), ("code_challenge", VietinBankPKCE.challenge(flow.verifier.revealed)), ("code_challenge_method", "S256")]
        let separator = authorizeURL.contains("?") ? "&" : "?"
        return authorizeURL + separator + String(decoding: VietinBankJSON.form(query), as: UTF8.self)
    }
}

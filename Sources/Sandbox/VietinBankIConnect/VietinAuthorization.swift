import Crypto
import Foundation

/// The OAuth 2 authorization server: authorization code with PKCE S256, single-use codes, rotating refresh tokens.
/// The authorization page stands for the customer's login; the operator's approve or deny is their decision.
extension VietinSimulator {
    /// `GET /oauth2/authorize`: checks the request against the application, then shows the consent page
    /// (JSON with `consent_request` when the request accepts `application/json`).
    func authorize(_ request: SimulatedRequest) async -> VietinAnswer {
        let query = request.queryItems
        guard let app = await world.application(query["client_id"] ?? "") else { return .html(400, Self.page("Unknown client_id.")) }
        guard let redirect = query["redirect_uri"], redirect == app.callbackURL else {
            return .html(400, Self.page("redirect_uri does not match the callback URL registered on application \(app.name)."))
        }
        let back = { (error: String, text: String) in VietinAnswer.redirect(Self.append(["error": error, "error_description": text, "state": query["state"]], to: redirect)) }
        guard query["response_type"] == "code" else { return back("unsupported_response_type", "response_type must be code") }
        guard let challenge = query["code_challenge"], !challenge.isEmpty, query["code_challenge_method"] == "S256" else {
            return back("invalid_request", "PKCE with code_challenge_method=S256 is required")
        }
        let consent = VietinWorld.ConsentRequest(
            id: UUID().uuidString.lowercased(), clientID: app.clientID, redirectURI: redirect, scope: query["scope"], state: query["state"],
            challenge: challenge, decided: false)
        let saved = await world.mutate { world in
            world.consentRequests.append(consent)
            return .json(200, [:])
        }
        guard saved.status == 200 else { return saved }
        let approve = "\(Self.mount)/sandbox/consents/\(consent.id)/approve", deny = "\(Self.mount)/sandbox/consents/\(consent.id)/deny"
        if request.headers["accept"]?.contains("application/json") == true {
            return .json(200, ["consent_request": consent.id, "application": app.name, "scope": consent.scope ?? "", "approve": approve, "deny": deny])
        }
        return .html(200, Self.page(
            "Application <b>\(app.name)</b> asks for your consent\(consent.scope.map { " to <b>\($0)</b>" } ?? "")."
                + "<form method=post action=\"\(approve)\"><button>Approve</button></form><form method=post action=\"\(deny)\"><button>Deny</button></form>"))
    }

    /// `POST /oauth2/token`: the gateway's credential check, then the grant (form-encoded).
    func token(_ request: SimulatedRequest) async -> VietinAnswer {
        let clientID = request.headers["x-ibm-client-id"] ?? ""
        guard let app = await world.application(clientID), app.clientSecret == request.headers["x-ibm-client-secret"] else {
            return .gateway(401, "Unauthorized", "Invalid client id or secret.")
        }
        let form = Self.form(String(decoding: request.body, as: UTF8.self))
        switch form["grant_type"] {
        case "authorization_code": return await world.exchange(form, clientID: clientID, ttl: tokenTTL, now: now())
        case "refresh_token": return await world.refresh(form, clientID: clientID, ttl: tokenTTL, now: now())
        default: return .oauth("unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
        }
    }

    static func page(_ text: String) -> String {
        "<!doctype html><meta charset=\"utf-8\"><title>VietinBank sandbox</title><p>\(text)</p>"
    }

    /// `url` with the query fields added (nil values left out), percent-encoded.
    static func append(_ fields: [String: String?], to url: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let query = fields.keys.sorted().compactMap { name in
            fields[name]!.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" }
        }
        return url + (url.contains("?") ? "&" : "?") + query.joined(separator: "&")
    }

    /// `BASE64URL(SHA256(verifier))`.
    static func challenge(of verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

extension VietinWorld {
    /// The customer's decision: a single-use code (10 minutes) or `access_denied`, sent to the redirect URI with `state`.
    func decide(_ id: String, approve: Bool, now: Date) -> VietinAnswer {
        guard let consent = snapshot.consentRequests.first(where: { $0.id == id && !$0.decided }) else {
            return .json(404, ["error": "no undecided consent request \(id)"])
        }
        let code = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return mutate { world in
            world.consentRequests.removeAll { $0.id == id }
            guard approve else {
                return .redirect(VietinSimulator.append(["error": "access_denied", "state": consent.state], to: consent.redirectURI))
            }
            world.codes.append(Code(
                code: code, clientID: consent.clientID, redirectURI: consent.redirectURI, challenge: consent.challenge, scope: consent.scope,
                expiresAt: now.timeIntervalSince1970 + 600, used: false))
            return .redirect(VietinSimulator.append(["code": code, "state": consent.state], to: consent.redirectURI))
        }
    }

    func exchange(_ form: [String: String], clientID: String, ttl: Int, now: Date) -> VietinAnswer {
        guard let index = snapshot.codes.firstIndex(where: { $0.code == form["code"] && $0.clientID == clientID }) else {
            return .oauth("invalid_grant", "unknown authorization code")
        }
        let code = snapshot.codes[index]
        guard !code.used else { return .oauth("invalid_grant", "the authorization code was already used") }
        guard code.expiresAt > now.timeIntervalSince1970 else { return .oauth("invalid_grant", "the authorization code expired") }
        guard form["redirect_uri"] == code.redirectURI else { return .oauth("invalid_grant", "redirect_uri does not match the authorization request") }
        guard VietinSimulator.challenge(of: form["code_verifier"] ?? "") == code.challenge else {
            return .oauth("invalid_grant", "code_verifier does not match the code_challenge")
        }
        return issue(clientID: clientID, scope: code.scope, ttl: ttl, now: now) { $0.codes[index].used = true }
    }

    func refresh(_ form: [String: String], clientID: String, ttl: Int, now: Date) -> VietinAnswer {
        guard let index = snapshot.tokens.firstIndex(where: { $0.refresh == form["refresh_token"] && $0.clientID == clientID }),
              snapshot.tokens[index].refreshable
        else { return .oauth("invalid_grant", "the refresh token is not valid (refresh tokens are single use)") }
        return issue(clientID: clientID, scope: snapshot.tokens[index].scope, ttl: ttl, now: now) { $0.tokens[index].refreshable = false }
    }

    /// A new access and refresh token, after `using` marks what was spent.
    func issue(clientID: String, scope: String?, ttl: Int, now: Date, using spend: @escaping (inout Snapshot) -> Void) -> VietinAnswer {
        let token = Token(
            access: "vtb-at-" + UUID().uuidString.lowercased(), refresh: "vtb-rt-" + UUID().uuidString.lowercased(), clientID: clientID,
            scope: scope, expiresAt: now.timeIntervalSince1970 + Double(ttl), refreshable: true)
        return mutate { world in
            spend(&world)
            world.tokens.append(token)
            var answer: [String: Any] = [
                "access_token": token.access, "token_type": "Bearer", "expires_in": ttl, "refresh_token": token.refresh,
            ]
            answer["scope"] = scope
            return .json(200, answer)
        }
    }

    /// Whether an access token is current, for tests of the tokens a client keeps.
    func isCurrent(accessToken: String, now: Date) -> Bool {
        snapshot.tokens.contains { $0.access == accessToken && $0.expiresAt > now.timeIntervalSince1970 }
    }
}

import Crypto
import Foundation

/// The OAuth 2 authorization server: authorization code with PKCE S256, single-use codes, rotating refresh tokens.
/// The authorization page stands for the customer's login; the operator's approve or deny is their decision.
extension VietinSimulator {
    /// `GET /oauth2/authorize`: checks the request against the application, then shows the consent page
    /// (JSON with `consent_request` when the request accepts `application/json`).
    func authorize(_ request: SimulatedRequest) async -> VietinAnswer {
        let query = request.queryItems
        guard let app = await world.application(query["client_id"] ?? "") else {
            return .html(400, Self.page(title: "Unknown application", "<p>Unknown client_id.</p>"))
        }
        guard let redirect = query["redirect_uri"], redirect == app.callbackURL else {
            return .html(400, Self.page(
                title: "Wrong redirect_uri",
                "<p>redirect_uri does not match the callback URL registered on application \(Self.escaped(app.name)).</p>"))
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
        return .html(200, Self.consentPage(app: app.name, scope: consent.scope, approve: approve, deny: deny))
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

    /// The customer's consent: who asks for what, and two buttons, each disabled once pressed (a repeat is answered as the first).
    static func consentPage(app: String, scope: String?, approve: String, deny: String) -> String {
        let disable = "onsubmit=\"this.querySelector('button').disabled=true\""
        return page(
            title: "Consent",
            "<h1>Cho phép truy cập · Consent</h1><p>Application <strong>\(escaped(app))</strong> asks for your consent"
                + (scope.map { " to <strong>\(escaped($0))</strong>" } ?? "") + ".</p>"
                + "<form method=\"post\" action=\"\(escaped(approve))\" \(disable)><button type=\"submit\">Approve · Đồng ý</button></form>"
                + "<form method=\"post\" action=\"\(escaped(deny))\" \(disable)><button type=\"submit\">Deny · Từ chối</button></form>")
    }

    /// A plain page under the simulator banner; `body` is HTML, its text already escaped.
    static func page(title: String, _ body: String) -> String {
        """
        <!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escaped(title)) · VietinBank iConnect sandbox</title><style>
        body{font-family:system-ui,sans-serif;margin:0;background:#f4f6fa;color:#1c1e21}
        .sandbox-banner{background:#ffe08a;color:#3d2e00;border-bottom:2px solid #c99a00;padding:.6rem 1rem;font-weight:600;text-align:center}
        main{max-width:30rem;margin:2rem auto;background:#fff;padding:1.5rem;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
        form{display:inline-block;margin:1rem 1rem 0 0}button{padding:.6rem 1.2rem}button:disabled{opacity:.6}
        </style></head><body><div class="sandbox-banner" role="note">MÔI TRƯỜNG THỬ NGHIỆM · SANDBOX — a simulator of VietinBank iConnect \
        run by provision. No real bank is contacted; the customer and the data are simulated.</div><main>\(body)</main></body></html>
        """
    }

    /// `text` with `&`, `<`, `>` and quotes escaped for HTML.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
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
    ///
    /// The same decision again (a double-click) is answered with the same redirect; the other decision is refused.
    func decide(_ id: String, approve: Bool, now: Date) -> VietinAnswer {
        guard let index = snapshot.consentRequests.firstIndex(where: { $0.id == id }) else {
            return .json(404, ["error": "no undecided consent request \(id)"])
        }
        let consent = snapshot.consentRequests[index]
        if consent.decided {
            guard consent.approved == approve, let answer = consent.answer else {
                return .json(409, ["error": "consent request \(id) was already \(consent.approved == true ? "approved" : "denied")"])
            }
            return .redirect(answer)
        }
        let code = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let answer = approve
            ? VietinSimulator.append(["code": code, "state": consent.state], to: consent.redirectURI)
            : VietinSimulator.append(["error": "access_denied", "state": consent.state], to: consent.redirectURI)
        return mutate { world in
            world.consentRequests[index].decided = true
            world.consentRequests[index].approved = approve
            world.consentRequests[index].answer = answer
            if approve {
                world.codes.append(Code(
                    code: code, clientID: consent.clientID, redirectURI: consent.redirectURI, challenge: consent.challenge, scope: consent.scope,
                    expiresAt: now.timeIntervalSince1970 + 600, used: false))
            }
            return .redirect(answer)
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

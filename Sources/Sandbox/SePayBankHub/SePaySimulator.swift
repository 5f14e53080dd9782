import Foundation

/// SePay Bank Hub's API as its reference documents it, mounted under `/sepay` (so `/sepay/v1/...`), plus the
/// sandbox's own Hosted Link pages under `/sepay/hosted/...` and uploaded logos under `/sepay/logos/...`.
///
/// A request is routed first (unknown path 404, wrong method 405), then authenticated (Basic on `/v1/token`,
/// Bearer elsewhere under `/v1`), then validated.
struct SePaySimulator: BankSimulator {
    let mount = "/sepay"
    let world: SePayWorld
    let webhooks: SePayWebhookDispatcher
    /// Access-token lifetime, seconds.
    let tokenTTL: Int
    /// Link-token lifetime, seconds.
    let linkTokenTTL: TimeInterval
    let now: @Sendable () -> Date

    enum Route: Equatable {
        case token
        case companies, companyCreate, companyEdit(String), companyCounter(String), company(String)
        case linkTokenCreate, linkTokenGet, linkTokenRevoke
        case bankAccounts, bankAccount(String)
        case transactions, transactionCreate, transaction(String)
        case merchantConfig, merchantLogo
        case webhook

        init?(_ parts: [String]) {
            guard parts.first == "v1" else { return nil }
            switch Array(parts.dropFirst()) {
            case ["token"]: self = .token
            case ["company"]: self = .companies
            case ["company", "create"]: self = .companyCreate
            case let path where path.count == 3 && path[0] == "company" && path[1] == "edit": self = .companyEdit(path[2])
            case let path where path.count == 3 && path[0] == "company" && path[1] == "counter": self = .companyCounter(path[2])
            case let path where path.count == 2 && path[0] == "company": self = .company(path[1])
            case ["link-token", "create"]: self = .linkTokenCreate
            case ["link-token", "get"]: self = .linkTokenGet
            case ["link-token", "revoke"]: self = .linkTokenRevoke
            case ["bank-account"]: self = .bankAccounts
            case let path where path.count == 2 && path[0] == "bank-account": self = .bankAccount(path[1])
            case ["transaction"]: self = .transactions
            case ["transaction", "create"]: self = .transactionCreate
            case let path where path.count == 2 && path[0] == "transaction": self = .transaction(path[1])
            case ["merchant-config"]: self = .merchantConfig
            case ["merchant-config", "logo"]: self = .merchantLogo
            case ["webhook"]: self = .webhook
            default: return nil
            }
        }

        var methods: [String] {
            switch self {
            case .companies, .company, .companyCounter, .bankAccounts, .bankAccount, .transactions, .transaction: ["GET"]
            case .merchantConfig, .webhook: ["GET", "POST"]
            default: ["POST"]
            }
        }
    }

    func handle(_ request: SimulatedRequest) async -> SimulatedResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        switch parts.first {
        case "hosted": return await hosted(request, parts: Array(parts.dropFirst()))
        case "logos" where parts.count == 2: return await logo(request, name: parts[1])
        default: break
        }
        guard let route = Route(parts) else { return Self.json(.notFound) }
        guard route.methods.contains(request.method) else {
            return Self.json(SePayAnswer(status: 405, body: ["code": 405, "message": "Method not allowed"]), extra: [("Allow", route.methods.joined(separator: ", "))])
        }
        if route == .token { return await issueToken(request) }
        guard let token = Self.credentials(request, scheme: "bearer"), let merchant = await world.merchant(bearer: token, now: now()) else {
            return Self.json(.unauthenticated)
        }
        let query = request.queryItems
        let answer: SePayAnswer
        switch (route, request.method) {
        case (.companies, _): answer = await world.listCompanies(merchant: merchant, query: query)
        case (.company(let xid), _): answer = await world.companyDetail(xid, merchant: merchant)
        case (.companyCounter(let xid), _): answer = await world.companyCounter(xid, merchant: merchant, query: query)
        case (.bankAccounts, _): answer = await world.listBankAccounts(merchant: merchant, query: query)
        case (.bankAccount(let xid), _): answer = await world.bankAccountDetail(xid, merchant: merchant)
        case (.transactions, _): answer = await world.listTransactions(merchant: merchant, query: query)
        case (.transaction(let id), _): answer = await world.transactionDetail(id, merchant: merchant)
        case (.merchantConfig, "GET"): answer = await world.merchantConfigAnswer(merchant: merchant)
        case (.webhook, "GET"): answer = await world.webhookAnswer(merchant: merchant)
        case (.merchantLogo, _):
            answer = await world.uploadLogo(
                merchant: merchant, contentType: request.headers["content-type"], body: request.body, baseURL: baseURL(request), now: now())
        default:
            let body: [String: SePayJSON]
            switch Self.bodyObject(request) {
            case .success(let object): body = object
            case .failure(let error):
                return Self.json(route == .webhook ? SePayWorld.webhookEnvelope(status: 400, errors: [error.reason], data: nil) : .badRequest(["body": error.reason]))
            }
            switch route {
            case .companyCreate: answer = await world.createCompany(merchant: merchant, body: body, now: now())
            case .companyEdit(let xid): answer = await world.editCompany(xid, merchant: merchant, body: body, now: now())
            case .linkTokenCreate:
                answer = await world.createLinkToken(
                    merchant: merchant, body: body, ttl: linkTokenTTL, hostedBase: baseURL(request) + "/hosted", now: now())
            case .linkTokenGet: answer = await world.linkTokenInfo(merchant: merchant, body: body, now: now())
            case .linkTokenRevoke: answer = await world.revokeLinkToken(merchant: merchant, body: body, now: now())
            case .transactionCreate: answer = await world.createTransaction(merchant: merchant, body: body, now: now())
            case .merchantConfig: answer = await world.updateMerchantConfig(merchant: merchant, body: body)
            case .webhook: answer = await world.upsertWebhook(merchant: merchant, body: body)
            default: answer = .notFound
            }
        }
        await deliver(answer.events, to: answer.webhook)
        return Self.json(answer)
    }

    /// `POST /v1/token`: Basic `client_id:client_secret`; the body, if any, is ignored.
    func issueToken(_ request: SimulatedRequest) async -> SimulatedResponse {
        guard let encoded = Self.credentials(request, scheme: "basic"),
            let decoded = Data(base64Encoded: encoded).flatMap({ String(data: $0, encoding: .utf8) }),
            let colon = decoded.firstIndex(of: ":")
        else {
            return Self.json(.unauthenticated)
        }
        let clientID = String(decoded[..<colon])
        let secret = String(decoded[decoded.index(after: colon)...])
        guard let token = await world.issueToken(clientID: clientID, secret: secret, ttl: tokenTTL, now: now()) else {
            return Self.json(.unauthenticated)
        }
        return Self.json(SePayAnswer(status: 201, body: ["code": 201, "access_token": .string(token), "ttl": .int(tokenTTL)]))
    }

    func deliver(_ events: [SePayWorld.Event], to webhook: SePayWorld.Webhook?) async {
        guard let webhook, !events.isEmpty else { return }
        await webhooks.enqueue(events, to: webhook)
    }

    /// `http://HOST/sepay`, HOST as the client addressed this server.
    func baseURL(_ request: SimulatedRequest) -> String {
        "http://\(request.headers["host"] ?? "127.0.0.1")\(mount)"
    }

    /// The credentials of an `Authorization: <scheme> <credentials>` header, scheme compared case-insensitively.
    static func credentials(_ request: SimulatedRequest, scheme: String) -> String? {
        guard let header = request.headers["authorization"] else { return nil }
        let parts = header.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == scheme else { return nil }
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    struct BodyProblem: Error {
        var reason: String
    }

    /// The body as an object: empty is `{}`, form-encoded fields are strings, anything else must be a JSON object.
    static func bodyObject(_ request: SimulatedRequest) -> Result<[String: SePayJSON], BodyProblem> {
        let text = String(decoding: request.body, as: UTF8.self)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .success([:]) }
        if SePayText.mediaType(request.headers["content-type"]) == "application/x-www-form-urlencoded" {
            return .success(SePayText.form(text).mapValues(SePayJSON.string))
        }
        guard let value = SePayJSON.decode(request.body) else {
            return .failure(BodyProblem(reason: "The request body is not valid JSON."))
        }
        guard let object = value.object else { return .failure(BodyProblem(reason: "The request body must be a JSON object.")) }
        return .success(object)
    }

    static func json(_ answer: SePayAnswer, extra: [(String, String)] = []) -> SimulatedResponse {
        SimulatedResponse(status: answer.status, headers: [("Content-Type", "application/json")] + extra, body: answer.body.encoded())
    }

    /// `GET /sepay/logos/{name}`: a logo uploaded through `POST /v1/merchant-config/logo`.
    func logo(_ request: SimulatedRequest, name: String) async -> SimulatedResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return Self.json(SePayAnswer(status: 405, body: ["code": 405, "message": "Method not allowed"]), extra: [("Allow", "GET")])
        }
        guard let bytes = await world.logo(named: name) else { return Self.json(.notFound) }
        let type = bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) ? "image/png" : "image/jpeg"
        return SimulatedResponse(status: 200, headers: [("Content-Type", type)], body: bytes)
    }
}

import Foundation
import Hummingbird

/// SePay Bank Hub's API as its reference documents it, mounted under `/sepay` (so `/sepay/v1/...`).
///
/// Besides the API, the sandbox's own Hosted Link pages are under `/sepay/hosted/...` and uploaded logos under
/// `/sepay/logos/...`. A request is routed first (unknown path 404, wrong method 405 with `Allow`), then
/// authenticated (Basic on `/v1/token`, Bearer elsewhere under `/v1`), then validated.
struct SePaySimulator: BankSimulator {
    static let mount = "/sepay"
    static let seedSection = "sepay"
    static let worldFileName = "sepay.json"
    static let defaultSeed = SePaySeed.defaults

    let world: SePayWorld
    let webhooks: SePayWebhookDispatcher
    /// Access-token lifetime, seconds.
    let tokenTTL: Int
    /// Link-token lifetime, seconds.
    let linkTokenTTL: TimeInterval
    let now: @Sendable () -> Date

    init(seed: SePaySeed, worldFile: URL?, configuration: SandboxConfiguration) throws {
        world = try SePayWorld(file: worldFile, seed: seed)
        webhooks = SePayWebhookDispatcher(retryDelays: configuration.sepayWebhookRetryDelays)
        tokenTTL = configuration.sepayTokenTTL
        linkTokenTTL = configuration.sepayLinkTokenTTL
        now = configuration.now
    }

    static func seed(from section: Any) throws -> SePaySeed {
        try SePaySeed.read(section)
    }

    func shutdown() async {
        await webhooks.shutdown()
    }

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        SimulatorRoutes.register(on: group, mount: Self.mount, unmatched: unmatched) { routes in
            addCompanyRoutes(to: routes)
            addAccountRoutes(to: routes)
            addLinkRoutes(to: routes)
            addMerchantRoutes(to: routes)
            routes.post("v1/token", issueToken)
            routes.get("logos/{name}", logo)
            routes.on("logos/{name}", method: .head, logo)
        }
    }

    func addCompanyRoutes(to routes: SimulatorRoutes) {
        routes.get("v1/company", authorized { await world.listCompanies(merchant: $1, query: $0.queryItems) })
        routes.post("v1/company/create", authorized(reading: .badRequest) { await world.createCompany(merchant: $1, body: $2, now: now()) })
        routes.post("v1/company/edit/{xid}", authorized(reading: .badRequest) {
            await world.editCompany($0.parameter("xid"), merchant: $1, body: $2, now: now())
        })
        routes.get("v1/company/counter/{xid}", authorized {
            await world.companyCounter($0.parameter("xid"), merchant: $1, query: $0.queryItems)
        })
        routes.get("v1/company/{xid}", authorized { await world.companyDetail($0.parameter("xid"), merchant: $1) })
    }

    func addAccountRoutes(to routes: SimulatorRoutes) {
        routes.get("v1/bank-account", authorized { await world.listBankAccounts(merchant: $1, query: $0.queryItems) })
        routes.get("v1/bank-account/{xid}", authorized { await world.bankAccountDetail($0.parameter("xid"), merchant: $1) })
        routes.get("v1/transaction", authorized { await world.listTransactions(merchant: $1, query: $0.queryItems) })
        routes.post("v1/transaction/create", authorized(reading: .badRequest) {
            await world.createTransaction(merchant: $1, body: $2, now: now())
        })
        routes.get("v1/transaction/{id}", authorized { await world.transactionDetail($0.parameter("id"), merchant: $1) })
    }

    func addLinkRoutes(to routes: SimulatorRoutes) {
        routes.post("v1/link-token/create", authorized(reading: .badRequest) { request, merchant, body in
            await world.createLinkToken(
                merchant: merchant, body: body, ttl: linkTokenTTL, hostedBase: baseURL(request) + "/hosted", now: now())
        })
        routes.post("v1/link-token/get", authorized(reading: .badRequest) { await world.linkTokenInfo(merchant: $1, body: $2, now: now()) })
        routes.post("v1/link-token/revoke", authorized(reading: .badRequest) {
            await world.revokeLinkToken(merchant: $1, body: $2, now: now())
        })
        routes.get("hosted/{token}", openHostedLink)
        routes.post("hosted/{token}/complete", completeHostedLink)
    }

    func addMerchantRoutes(to routes: SimulatorRoutes) {
        routes.get("v1/merchant-config", authorized { await world.merchantConfigAnswer(merchant: $1) })
        routes.post("v1/merchant-config", authorized(reading: .badRequest) { await world.updateMerchantConfig(merchant: $1, body: $2) })
        routes.post("v1/merchant-config/logo", authorized { request, merchant in
            await world.uploadLogo(
                merchant: merchant, contentType: request.headers["content-type"], body: request.body, baseURL: baseURL(request), now: now())
        })
        routes.get("v1/webhook", authorized { await world.webhookAnswer(merchant: $1) })
        routes.post("v1/webhook", authorized(reading: .webhookEnvelope) { await world.upsertWebhook(merchant: $1, body: $2) })
    }

    /// What no route takes: 405 with `Allow` for a known path, the Hosted Link's own 404 under `/hosted`, 404 JSON otherwise.
    func unmatched(_ request: SimulatedRequest, allowed: [String]) async -> SimulatedResponse {
        if !allowed.isEmpty {
            return Self.json(SePayAnswer(status: 405, body: ["code": 405, "message": "Method not allowed"]), extra: [("Allow", allowed.joined(separator: ", "))])
        }
        if request.path == "/hosted" || request.path.hasPrefix("/hosted/") {
            return render(.unknown, for: request, input: [:])
        }
        return Self.json(.notFound)
    }

    /// A `/v1` route behind Bearer authentication: `answer` for the merchant the token belongs to; its events go to the webhook.
    func authorized(_ answer: @escaping @Sendable (SimulatedRequest, String) async -> SePayAnswer) -> SimulatorRoutes.Handler {
        { request in
            guard let token = Self.credentials(request, scheme: "bearer"), let merchant = await world.merchant(bearer: token, now: now()) else {
                return Self.json(.unauthenticated)
            }
            let result = await answer(request, merchant)
            await deliver(result.events, to: result.webhook)
            return Self.json(result)
        }
    }

    /// How a route answers a body it cannot read: the common 400 Bad request, or the webhook endpoints' envelope.
    enum BodyRefusal {
        case badRequest, webhookEnvelope

        func answer(_ problem: BodyProblem) -> SePayAnswer {
            switch self {
            case .badRequest: .badRequest(["body": problem.reason])
            case .webhookEnvelope: SePayWorld.webhookEnvelope(status: 400, errors: [problem.reason], data: nil)
            }
        }
    }

    /// An authorized route that reads the body as an object (see `bodyObject`); an unreadable body is refused as `refusal` says.
    func authorized(
        reading refusal: BodyRefusal, _ answer: @escaping @Sendable (SimulatedRequest, String, [String: SePayJSON]) async -> SePayAnswer
    ) -> SimulatorRoutes.Handler {
        authorized { request, merchant in
            switch Self.bodyObject(request) {
            case .success(let body): await answer(request, merchant, body)
            case .failure(let problem): refusal.answer(problem)
            }
        }
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
        "http://\(request.headers["host"] ?? "127.0.0.1")\(Self.mount)"
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
    func logo(_ request: SimulatedRequest) async -> SimulatedResponse {
        guard let bytes = await world.logo(named: request.parameter("name")) else { return Self.json(.notFound) }
        let type = bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) ? "image/png" : "image/jpeg"
        return SimulatedResponse(status: 200, headers: [("Content-Type", type)], body: bytes)
    }
}

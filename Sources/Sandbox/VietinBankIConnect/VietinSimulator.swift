import Foundation
import Hummingbird

/// VietinBank iConnect as its reference documents it, mounted under `/vietinbank` (the catalog prefix of a real
/// base URL is left out): the IBM API Connect gateway in front of the ERP operations, the OAuth authorization server,
/// and a sandbox-only operator surface under `/vietinbank/sandbox/...` that plays the portal and the customer.
///
/// An ERP call passes the gateway (credentials, subscription of its API, the plan's rate limit, JSON body), then the
/// backend checks the partner's signature and the request id, and answers with a signed business envelope.
struct VietinSimulator: BankSimulator {
    static let mount = "/vietinbank"
    static let seedSection = "vietinbank"
    static let worldFileName = "vietinbank.json"
    static let defaultSeed = VietinSeed.defaults

    let world: VietinWorld
    let key: VietinBankKey
    let tokenTTL: Int
    let now: @Sendable () -> Date

    init(seed: VietinSeed, worldFile: URL?, configuration: SandboxConfiguration) throws {
        world = try VietinWorld(file: worldFile, seed: seed)
        key = VietinBankKey(folder: worldFile?.deletingLastPathComponent())
        tokenTTL = configuration.vietinbankTokenTTL
        now = configuration.now
    }

    static func seed(from section: Any) throws -> VietinSeed {
        try VietinSeed.read(section)
    }

    func startupNotes() async -> [String] {
        guard let pem = try? await key.publicPEM() else { return [] }
        let file = await key.publicFile.map { " (also in \($0.path))" } ?? ""
        return ["VietinBank iConnect signs its answers with this key; give it as bank_certificate\(file):\n" + pem]
    }

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        SimulatorRoutes.register(on: group, mount: Self.mount, unmatched: Self.unmatched) { routes in
            for operation in VietinCatalogue.apis.values.flatMap({ $0 }).sorted() {
                routes.post(String(operation.dropFirst()), erp(operation))
            }
            routes.get("oauth2/authorize", answering(authorize))
            routes.post("oauth2/token", answering(token))
            addOperatorRoutes(to: routes)
        }
    }

    /// Every request no route takes: the gateway's 404.
    static func unmatched(_ request: SimulatedRequest, allowed _: [String]) -> SimulatedResponse {
        respond(.gateway(404, "Not Found", "No resources match requested URI"))
    }

    static func respond(_ answer: VietinAnswer) -> SimulatedResponse {
        SimulatedResponse(status: answer.status, headers: answer.headers, body: answer.body)
    }

    func answering(_ handler: @escaping @Sendable (SimulatedRequest) async -> VietinAnswer) -> SimulatorRoutes.Handler {
        { request in Self.respond(await handler(request)) }
    }

    /// An ERP operation behind the gateway.
    func erp(_ operation: String) -> SimulatorRoutes.Handler {
        answering { request in
            let api = VietinCatalogue.api(of: operation) ?? ""
            if let refusal = await world.admit(
                clientID: request.headers["x-ibm-client-id"], secret: request.headers["x-ibm-client-secret"], api: api, now: now())
            {
                return refusal
            }
            guard Self.mediaType(request) == "application/json" else {
                return .gateway(415, "Unsupported Media Type", "Content-Type must be application/json.")
            }
            guard let body = Self.object(request.body) else { return .gateway(400, "Bad Request", "The body is not a JSON object.") }
            return await backend(operation, body: body)
        }
    }

    /// The ERP backend: partner, signature (`01`), request id (`07`), then the operation; every answer signed with
    /// the partner's hash.
    func backend(_ operation: String, body: [String: Any]) async -> VietinAnswer {
        let requestID = body["requestId"] as? String ?? ""
        let partner = await world.partner(provider: body["providerId"] as? String ?? "", merchant: body["merchantId"] as? String ?? "")
        let reply = { (outcome: VietinOutcome) in await signed(body, outcome, hash: partner?.hash ?? .sha256) }
        guard let fields = VietinSigning.requestFields[operation] else { return await reply(.refused("02", "\(operation) is not simulated; only its gateway is")) }
        guard !requestID.isEmpty, requestID.count <= 30 else { return await reply(.refused("02", "requestId is required and has at most 30 characters")) }
        guard let partner else { return await reply(.refused("02", "Unknown providerId or merchantId")) }
        guard let signature = body["signature"] as? String, let text = VietinSigning.text(fields, of: body),
              let key = VietinSigning.publicKey(partner.publicKey), VietinSigning.verifies(signature, text: text, key: key, hash: partner.hash)
        else { return await reply(.refused("01", "Invalid signature")) }
        guard await !world.seen(requestID) else { return await reply(.refused("07", "Duplicate requestId")) }
        return await reply(await world.accept(operation, body: body.compactMapValues { $0 as? String }, partner: partner))
    }

    /// The business envelope and the operation's own fields, signed with the bank's key over requestId, providerId,
    /// merchantId and status.code.
    func signed(_ request: [String: Any], _ outcome: VietinOutcome, hash: VietinHash) async -> VietinAnswer {
        var answer = outcome.fields
        answer["status"] = ["code": outcome.code, "message": outcome.message]
        for field in ["requestId", "providerId", "merchantId"] { answer[field] = request[field] as? String ?? "" }
        if let key = try? await key.current(), let text = VietinSigning.text(VietinSigning.answerFields, of: answer) {
            answer["signature"] = VietinSigning.sign(text, key: key, hash: hash)
        }
        return .json(200, answer)
    }

    static func mediaType(_ request: SimulatedRequest) -> String? {
        request.headers["content-type"]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func object(_ body: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// Form fields of an `application/x-www-form-urlencoded` body (or a query), percent-decoded, `+` as space.
    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}

/// What the ERP backend answers an operation: its status code and message, and the operation's own fields.
struct VietinOutcome: @unchecked Sendable {
    var code: String
    var message: String
    var fields: [String: Any] = [:]

    static func refused(_ code: String, _ message: String) -> VietinOutcome {
        VietinOutcome(code: code, message: message)
    }
}

extension VietinWorld {
    /// Records an accepted ERP call's request id and carries it out: a statement push registration (one per account),
    /// or a statement inquiry of an account registered to the partner.
    func accept(_ operation: String, body: [String: String], partner: VietinSeed.Partner) -> VietinOutcome {
        let text = { (field: String) in body[field] ?? "" }
        var outcome = VietinOutcome(code: "1", message: "Success")
        switch operation {
        case "/erp/v1/statement/register":
            if text("account").isEmpty || text("notifyType").isEmpty || text("cronExpress").isEmpty {
                return .refused("02", "account, notifyType and cronExpress are required")
            }
        case "/erp/v1/statement/inquiry":
            outcome = VietinStatement.inquiry(body, accounts: partner.accounts ?? [], provider: partner.providerID)
            guard outcome.code == "1" else { return outcome }
        default: break
        }
        let answer = mutate { world in
            world.requestIDs.append(text("requestId"))
            guard operation == "/erp/v1/statement/register" else { return .json(200, [:]) }
            let registration = Registration(
                providerID: text("providerId"), merchantID: text("merchantId"), account: text("account"), notifyType: text("notifyType"),
                outputFolder: body["outputFolder"], cronExpress: text("cronExpress"), requestID: text("requestId"))
            world.registrations.removeAll { $0.account == registration.account && $0.providerID == registration.providerID }
            world.registrations.append(registration)
            return .json(200, [:])
        }
        return answer.status == 200 ? outcome : .refused("99", "The sandbox could not save its world")
    }
}

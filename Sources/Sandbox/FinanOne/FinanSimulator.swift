import Foundation
import Hummingbird

/// Finan One's Open API as its reference and seed page document it, mounted under `/finan/open`.
///
/// Every request is authenticated first (headers, ±30 s clock window, client, signature), then routed; an unknown
/// endpoint is Finan's own 404 envelope (code 104004).
struct FinanSimulator: BankSimulator {
    static let mount = "/finan/open"
    static let seedSection = "finan"
    static let worldFileName = "finan.json"
    static let defaultSeed = FinanSeed.defaults
    static let clockWindow: TimeInterval = 30

    let world: FinanWorld
    let now: @Sendable () -> Date

    init(seed: FinanSeed, worldFile: URL?, configuration: SandboxConfiguration) throws {
        world = try FinanWorld(file: worldFile, seed: seed)
        now = configuration.now
    }

    static func seed(from section: Any) throws -> FinanSeed {
        try FinanSeed.read(section)
    }

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        let authenticated = group.add(middleware: FinanAuthentication(simulator: self))
        SimulatorRoutes.register(on: authenticated, mount: Self.mount, unmatched: Self.unknownEndpoint) { routes in
            routes.get("api/v1/master-bank-accounts", listMasters)
            routes.get("api/v1/bank-accounts", listAccounts)
            routes.post("api/v1/bank-accounts", createAccount)
            routes.get("api/v1/bank-accounts/{id}", getAccount)
        }
    }

    /// Every request the routes do not take, whatever its method: 404, code 104004, naming method and path.
    static func unknownEndpoint(_ request: SimulatedRequest, allowed _: [String]) -> SimulatedResponse {
        Reply(request).failure(404, code: 104004, error: "No such endpoint: \(request.method) \(request.path)")
    }

    func listMasters(_ request: SimulatedRequest) async -> SimulatedResponse {
        let reply = Reply(request)
        let filter = Filter(request.queryItems)
        let items = await world.masters().filter { filter.matches(id: $0.accountID, number: $0.accountNumber) }.map {
            Listed(accountID: $0.accountID, accountNumber: Self.mask($0.accountNumber), accountName: $0.accountName,
                   bankCode: $0.bankCode, createdAt: $0.createdAt)
        }
        return reply.success(code: 102000, data: items)
    }

    func listAccounts(_ request: SimulatedRequest) async -> SimulatedResponse {
        let reply = Reply(request)
        let filter = Filter(request.queryItems)
        let masters = await world.masters()
        let items = await world.accounts().filter { filter.matches(id: $0.accountID, number: $0.accountNumber) }
            .map { listed($0, masters: masters) }
        return reply.success(code: 102000, list: items)
    }

    func getAccount(_ request: SimulatedRequest) async -> SimulatedResponse {
        let reply = Reply(request)
        guard let account = await world.accounts().first(where: { $0.accountID == request.parameter("id") }) else {
            return reply.failure(404, code: 104004, error: "Bank account does not exist")
        }
        return reply.success(code: 102000, data: listed(account, masters: await world.masters()))
    }

    func listed(_ account: FinanWorld.Account, masters: [FinanWorld.Master]) -> Listed {
        let bank = masters.first { $0.accountID == account.masterAccountID }?.bankCode ?? ""
        return Listed(accountID: account.accountID, accountNumber: Self.mask(account.accountNumber), accountName: account.accountName,
                      bankCode: bank, createdAt: account.createdAt)
    }

    func createAccount(_ request: SimulatedRequest) async -> SimulatedResponse {
        let reply = Reply(request)
        let contentType = request.headers["content-type"]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard contentType == "application/json" else {
            return reply.failure(400, code: 104000, error: "Content-Type must be application/json")
        }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else {
                return reply.failure(400, code: 104000, error: "Invalid request body: expected a JSON object")
            }
            object = parsed
        } catch {
            return reply.failure(400, code: 104000, error: "Invalid request body: not valid JSON")
        }
        var problems: [String] = []
        var values: [String: String] = [:]
        for field in ["master_account_id", "account_name"] {
            switch object[field] {
            case let text as String where !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
                values[field] = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case nil, is String, is NSNull:
                problems.append("\(field) is required")
            default:
                problems.append("\(field) must be a string")
            }
        }
        guard problems.isEmpty else {
            return reply.failure(422, code: 104000, error: problems.joined(separator: "; "))
        }
        let outcome: FinanWorld.CreateOutcome
        do {
            outcome = try await world.createAccount(masterID: values["master_account_id"]!, name: values["account_name"]!, now: now())
        } catch {
            return reply.failure(500, code: 105000, error: "System error: \(error)")
        }
        switch outcome {
        case .unknownMaster:
            return reply.failure(404, code: 104000, error: "Master account does not exist")
        case .duplicate:
            return reply.failure(400, code: 224016, error: "Bank account already exists")
        case .created(let account, let master):
            return reply.success(code: 102001, data: Created(
                bankCode: master.bankCode, accountID: account.accountID, accountName: account.accountName,
                accountNumber: account.accountNumber, currencyCode: "704", masterAccountName: master.accountName))
        }
    }

    /// The list filters of a query: `id` (alias `account_id`) and the full, unmasked `account_number`.
    ///
    /// Every filter present must match; an absent filter matches everything.
    struct Filter {
        var values: [(field: Field, value: String)]

        enum Field { case id, number }

        init(_ query: [String: String]) {
            values = []
            for (name, field) in [("id", Field.id), ("account_id", .id), ("account_number", .number)] {
                if let value = query[name] { values.append((field, value)) }
            }
        }

        func matches(id: String, number: String) -> Bool {
            values.allSatisfy { $0.field == .id ? $0.value == id : $0.value == number }
        }
    }

    /// The first and last four characters shown, every one between as `X`; 8 characters or fewer shown whole.
    static func mask(_ number: String) -> String {
        guard number.count > 8 else { return number }
        let characters = Array(number)
        return String(characters.prefix(4)) + String(repeating: "X", count: characters.count - 8) + String(characters.suffix(4))
    }

    /// A list item, shaped as the seed page documents.
    struct Listed: Encodable {
        var accountID: String
        var accountNumber: String
        var accountName: String
        var bankCode: String
        var qrCode: String
        var balance = 0
        var currency = "VND"
        var status = "active"
        var createdAt: String

        init(accountID: String, accountNumber: String, accountName: String, bankCode: String, createdAt: String) {
            self.accountID = accountID
            self.accountNumber = accountNumber
            self.accountName = accountName
            self.bankCode = bankCode
            self.qrCode = "https://sandbox.finan.one/qr/\(accountID)"
            self.createdAt = createdAt
        }

        enum CodingKeys: String, CodingKey {
            case balance, currency, status
            case accountID = "account_id"
            case accountNumber = "account_number"
            case accountName = "account_name"
            case bankCode = "bank_code"
            case qrCode = "qr_code"
            case createdAt = "created_at"
        }
    }

    /// The `data` of a create, shaped as the seed page documents.
    struct Created: Encodable {
        var bankCode: String
        var accountID: String
        var accountName: String
        var accountNumber: String
        var currencyCode: String
        var masterAccountName: String

        enum CodingKeys: String, CodingKey {
            case bankCode = "bank_code"
            case accountID = "account_id"
            case accountName = "account_name"
            case accountNumber = "account_number"
            case currencyCode = "currency_code"
            case masterAccountName = "master_account_name"
        }
    }

    /// Builds Finan envelopes with a fresh request id.
    struct Reply {
        var english: Bool

        /// In English when the request asks for it with `x-locale: en`, in Vietnamese otherwise.
        init(_ request: SimulatedRequest) {
            english = request.headers["x-locale"]?.lowercased() == "en"
        }

        struct Message: Encodable {
            var content: String
            var params: [String] = []
            var error: String?
        }

        struct Envelope<Payload: Encodable>: Encodable {
            var message: Message
            var code: Int
            var requestID: String
            var data: Payload?

            enum CodingKeys: String, CodingKey {
                case message, code, data
                case requestID = "request_id"
            }
        }

        func success<Payload: Encodable>(code: Int, data: Payload) -> SimulatedResponse {
            respond(200, Envelope(message: Message(content: english ? "API executed successfully" : "Thực thi API thành công"), code: code, requestID: Self.requestID(), data: data))
        }

        func failure(_ status: Int, code: Int, error: String) -> SimulatedResponse {
            let envelope = Envelope<[String]>(
                message: Message(content: english ? "Invalid request" : "Yêu cầu không hợp lệ", error: error),
                code: code, requestID: Self.requestID(), data: nil)
            return respond(status, envelope)
        }

        /// A success whose data is a list, the same text `success(code:data:)` writes, encoded `chunk` items at a time:
        /// the encoder's tree of a 50,000-account list was the largest thing a plan against the simulator held.
        func success<Item: Encodable>(code: Int, list items: [Item], chunk: Int = 1000) -> SimulatedResponse {
            guard items.count > chunk else { return success(code: code, data: items) }
            var response = success(code: code, data: [Item]())
            // Keys are sorted and nothing else in the envelope is a key "data" holding an empty list.
            guard let slot = response.body.firstRange(of: Array(#""data":[]"#.utf8)) else { return success(code: code, data: items) }
            var body = Array(response.body[..<slot.lowerBound])
            body.append(contentsOf: #""data":["#.utf8)
            let encoder = Self.encoder()
            for start in stride(from: 0, to: items.count, by: chunk) {
                guard let part = try? encoder.encode(Array(items[start..<min(start + chunk, items.count)])) else {
                    return success(code: code, data: items)
                }
                if start > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: part.dropFirst().dropLast())
            }
            body.append(UInt8(ascii: "]"))
            body.append(contentsOf: response.body[slot.upperBound...])
            response.body = body
            return response
        }

        static func encoder() -> JSONEncoder {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return encoder
        }

        func respond<Payload: Encodable>(_ status: Int, _ envelope: Envelope<Payload>) -> SimulatedResponse {
            let body = (try? Self.encoder().encode(envelope)).map(Array.init) ?? []
            return SimulatedResponse(
                status: status,
                headers: [("Content-Type", "application/json; charset=utf-8"), ("x-request-id", envelope.requestID)],
                body: body)
        }

        static func requestID() -> String {
            UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        }
    }
}

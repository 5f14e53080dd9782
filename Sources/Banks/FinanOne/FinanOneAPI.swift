import Foundation
import PlanModel
import Reconciler

/// Finan One's response envelope: `message`, `code`, `request_id`, `data`.
struct FinanEnvelope<Payload: Decodable>: FaultReporting {
    var message: FinanMessage?
    var code: Int?
    var requestID: String?
    var data: Payload?
    var meta: FinanMeta?

    enum CodingKeys: String, CodingKey {
        case message, code, data, meta
        case requestID = "request_id"
    }

    var fault: BankFault? { FinanErrorReader.fault(success: true, code: code, message: message, requestID: requestID) }
}

/// `meta`, which the reference only infers carries pagination; read under the names such blocks use.
struct FinanMeta: Decodable {
    var info: PageInfo

    enum CodingKeys: String, CodingKey {
        case page, total
        case currentPage = "current_page"
        case pageCount = "page_count", totalPages = "total_pages", lastPage = "last_page"
        case hasMore = "has_more", hasNext = "has_next"
    }

    init(from decoder: any Decoder) throws {
        let meta = try decoder.container(keyedBy: CodingKeys.self)
        func int(_ keys: CodingKeys...) -> Int? { keys.lazy.compactMap { try? meta.decodeIfPresent(Int.self, forKey: $0) }.first }
        func flag(_ keys: CodingKeys...) -> Bool? { keys.lazy.compactMap { try? meta.decodeIfPresent(Bool.self, forKey: $0) }.first }
        info = PageInfo(
            hasMore: flag(.hasMore, .hasNext), page: int(.currentPage, .page),
            pageCount: int(.pageCount, .totalPages, .lastPage), total: int(.total))
    }
}

struct FinanMessage: Decodable {
    var content: String?
    var error: String?
}

/// An envelope whose `data` is read only to learn the status; tolerant of any shape.
struct FinanErrorEnvelope: Decodable {
    var message: FinanMessage?
    var code: Int?
    var requestID: String?

    enum CodingKeys: String, CodingKey {
        case message, code
        case requestID = "request_id"
    }
}

/// `data` that a server may send as one object or as an array of them.
struct FinanList<Item: Decodable>: Decodable {
    var items: [Item]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            items = []
        } else if let many = try? container.decode([Item].self) {
            items = many
        } else {
            items = [try container.decode(Item.self)]
        }
    }
}

/// A master or bank account as Finan sends it; fields beyond the seed page's are optional hints.
struct FinanAccount: Decodable, Sendable {
    var accountID: String?
    var id: String?
    var accountNumber: String?
    var accountName: String?
    var bankCode: String?
    var status: String?
    var isActive: Bool?
    var masterAccountID: String?
    var masterAccountName: String?

    enum CodingKeys: String, CodingKey {
        case id, status
        case accountID = "account_id"
        case accountNumber = "account_number"
        case accountName = "account_name"
        case bankCode = "bank_code"
        case isActive = "is_active"
        case masterAccountID = "master_account_id"
        case masterAccountName = "master_account_name"
    }

    /// The account's id under either of the names servers use.
    var identifier: String? { accountID ?? id }
}

/// Body of `POST /api/v1/bank-accounts`, serialised compactly in the documented key order.
struct FinanCreateBankAccount {
    var masterAccountID: String
    var accountName: String

    var json: [UInt8] {
        Array("{\"master_account_id\":\(Self.quoted(masterAccountID)),\"account_name\":\(Self.quoted(accountName))}".utf8)
    }

    /// A JSON string literal; non-ASCII text stays raw UTF-8.
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}

/// Reads Finan One's envelopes: an error status, or a `code` outside 102xxx in a 2xx answer, is a fault.
struct FinanErrorReader: ErrorReader {
    func fault(in reply: HTTPReply) -> BankFault? {
        let envelope = try? JSONDecoder().decode(FinanErrorEnvelope.self, from: Data(reply.body))
        return Self.fault(
            success: (200..<300).contains(reply.status), code: envelope?.code, message: envelope?.message, requestID: envelope?.requestID)
    }

    /// The one rule: a 2xx answer is a success unless its `code` is outside 102xxx; anything else is a fault.
    static func fault(success: Bool, code: Int?, message: FinanMessage?, requestID: String?) -> BankFault? {
        if success, code.map({ (102000..<103000).contains($0) }) ?? true { return nil }
        return BankFault(code: code.map(String.init), message: message?.error ?? message?.content, requestID: requestID)
    }

    func hint(status: Int) -> String? {
        status == 401 ? "Check client_id and secret_key, and that this machine's clock is right." : nil
    }
}

/// Finan One's calls: signed, enveloped, every failure a `ProviderError`. Keeps nothing between calls.
struct FinanOneClient: Sendable {
    static let bank = "Finan One"

    let api: BankAPI

    init(_ settings: FinanOneSettings, connection: BankConnection) {
        let signer = FinanOneSigner(
            basePath: connection.baseURL, clientID: settings.clientID, secretKey: settings.secretKey, now: connection.now)
        api = BankAPI(
            bank: Self.bank, baseURL: connection.baseURL, transport: connection.pipeline.transport(signer: signer),
            errors: FinanErrorReader())
    }

    /// Sends a call; `path` starts at `/api/v1/` and includes any query, already encoded.
    func send<Payload: Decodable>(_ method: String, _ path: String, body: [UInt8]? = nil, as: Payload.Type) async throws -> (payload: Payload?, requestID: String?) {
        let (envelope, requestID) = try await envelope(method, path, body: body, as: Payload.self)
        return (envelope.data, requestID)
    }

    func envelope<Payload: Decodable>(_ method: String, _ path: String, body: [UInt8]? = nil, as: Payload.Type) async throws -> (FinanEnvelope<Payload>, String?) {
        let (envelope, reply) = try await api.send(method, path, body: body, enveloped: FinanEnvelope<Payload>.self)
        return (envelope, envelope.requestID ?? reply.header("x-request-id"))
    }

    /// Every item of a list, following `meta` from page to page when Finan pages it (the first request asks for no page,
    /// later ones add `page=N`: **inferred**, as the reference infers pagination).
    func list(_ path: String, query: [String] = []) async throws -> [FinanAccount] {
        try await api.pages(of: path) { page in
            let parts = query + (page > 1 ? ["page=\(page)"] : [])
            let full = path + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
            // Finan sends a list whole: 50,000 accounts are a 12 MB answer, decoded a part at a time.
            let (envelope, items, _) = try await api.send(
                "GET", full, enveloped: FinanEnvelope<FinanList<FinanAccount>>.self, listIn: "data", of: FinanAccount.self)
            return (items ?? envelope.data?.items ?? [], envelope.meta?.info)
        }
    }

    func listMasterAccounts(accountNumber: String? = nil) async throws -> [FinanAccount] {
        try await list("/api/v1/master-bank-accounts", query: accountNumber.map { ["account_number=\(Self.encode($0))"] } ?? [])
    }

    func listBankAccounts() async throws -> [FinanAccount] {
        try await list("/api/v1/bank-accounts")
    }

    /// The bank account, or nil when Finan answers 404.
    func bankAccount(id: String) async throws -> FinanAccount? {
        do {
            return try await send("GET", "/api/v1/bank-accounts/\(BankAPI.pathSegment(id))", as: FinanList<FinanAccount>.self).payload?.items.first
        } catch let error as ProviderError where error.status == 404 {
            return nil
        }
    }

    func createBankAccount(_ body: FinanCreateBankAccount) async throws -> (account: FinanAccount, id: String, requestID: String?) {
        let (payload, requestID) = try await send("POST", "/api/v1/bank-accounts", body: body.json, as: FinanList<FinanAccount>.self)
        guard let account = payload?.items.first, let id = account.identifier else {
            throw api.malformed(
                "POST", "/api/v1/bank-accounts", reason: "no account_id in data; the account may exist: the next plan looks it up by name",
                status: 200, requestID: requestID)
        }
        return (account, id, requestID)
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))) ?? text
    }
}

import Foundation
import PlanModel

/// Finan One's response envelope: `message`, `code`, `request_id`, `data`.
struct FinanEnvelope<Payload: Decodable>: Decodable {
    var message: FinanMessage?
    var code: Int?
    var requestID: String?
    var data: Payload?

    enum CodingKeys: String, CodingKey {
        case message, code, data
        case requestID = "request_id"
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
struct FinanAccount: Decodable {
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

/// Signs and sends Finan One calls and decodes their envelopes; every failure becomes a `ProviderError`.
struct FinanOneClient: Sendable {
    static let bank = "Finan One"

    let baseURL: String
    let clientID: String
    let secretKey: Sensitive
    let transport: any HTTPTransport
    let now: @Sendable () -> Date

    init(baseURL: String, clientID: String, secretKey: Sensitive, transport: any HTTPTransport, now: @escaping @Sendable () -> Date) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.clientID = clientID
        self.secretKey = secretKey
        self.transport = transport
        self.now = now
    }

    /// Sends a signed request. `path` starts at `/api/v1/` and includes any query, already encoded.
    func send<Payload: Decodable>(
        _ method: String, _ path: String, body: [UInt8]? = nil, as: Payload.Type
    ) async throws -> (payload: Payload?, requestID: String?) {
        let secret = secretKey.revealed
        let clientID = clientID
        let now = now
        // Signed as it leaves, so a wait for a rate-limit token or a retry never sends a stale timestamp.
        let sign: @Sendable (HTTPCall) -> HTTPCall = { call in
            let timestamp = String(Int(now().timeIntervalSince1970))
            let signature = FinanOneSigner.signature(secret: secret, method: method, path: path, payload: body ?? [], timestamp: timestamp)
            var signed = call
            signed.headers = [
                ("Content-Type", "application/json"), ("Accept", "application/json"),
                ("x-client-id", clientID), ("x-timestamp", timestamp), ("x-signature", signature),
            ]
            signed.prepare = nil
            return signed
        }
        let call = HTTPCall(method: method, url: baseURL + path, body: body, prepare: sign)
        let mutating = method != "GET"
        let reply: HTTPReply
        do {
            reply = try await transport.send(call)
        } catch let failure as TransportFailure {
            throw ProviderError.unreachable(
                bank: Self.bank, request: call.summary, reason: failure.reason,
                mayHavePartlyApplied: mutating && failure.requestMayHaveBeenSent)
        }
        let decoder = JSONDecoder()
        let headerID = reply.header("x-request-id")
        guard (200..<300).contains(reply.status) else {
            let envelope = try? decoder.decode(FinanErrorEnvelope.self, from: Data(reply.body))
            throw ProviderError.rejected(
                bank: Self.bank, request: call.summary, status: reply.status, code: envelope?.code.map(String.init),
                message: envelope?.message?.error ?? envelope?.message?.content ?? Self.snippet(reply.body),
                requestID: envelope?.requestID ?? headerID, mayHavePartlyApplied: mutating && reply.status >= 500)
        }
        let envelope: FinanEnvelope<Payload>
        do {
            envelope = try decoder.decode(FinanEnvelope<Payload>.self, from: Data(reply.body))
        } catch {
            throw ProviderError.malformedResponse(
                bank: Self.bank, request: call.summary, status: reply.status,
                reason: "not a Finan envelope (\(error))", requestID: headerID)
        }
        if let code = envelope.code, !(102000..<103000).contains(code) {
            throw ProviderError.rejected(
                bank: Self.bank, request: call.summary, status: reply.status, code: String(code),
                message: envelope.message?.error ?? envelope.message?.content, requestID: envelope.requestID ?? headerID,
                mayHavePartlyApplied: false)
        }
        return (envelope.data, envelope.requestID ?? headerID)
    }

    static func snippet(_ body: [UInt8]) -> String? {
        guard !body.isEmpty else { return nil }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func listMasterAccounts(accountNumber: String? = nil) async throws -> [FinanAccount] {
        let query = accountNumber.map { "?account_number=\(Self.encode($0))" } ?? ""
        return try await send("GET", "/api/v1/master-bank-accounts" + query, as: FinanList<FinanAccount>.self).payload?.items ?? []
    }

    func listBankAccounts() async throws -> [FinanAccount] {
        try await send("GET", "/api/v1/bank-accounts", as: FinanList<FinanAccount>.self).payload?.items ?? []
    }

    /// The bank account, or nil when Finan answers 404.
    func bankAccount(id: String) async throws -> FinanAccount? {
        do {
            return try await send("GET", "/api/v1/bank-accounts/\(Self.encode(id))", as: FinanList<FinanAccount>.self).payload?.items.first
        } catch ProviderError.rejected(_, _, 404, _, _, _, _) {
            return nil
        }
    }

    func createBankAccount(_ body: FinanCreateBankAccount) async throws -> (account: FinanAccount, requestID: String?) {
        let request = "POST \(baseURL)/api/v1/bank-accounts"
        let (payload, requestID) = try await send("POST", "/api/v1/bank-accounts", body: body.json, as: FinanList<FinanAccount>.self)
        guard let account = payload?.items.first, account.identifier != nil else {
            throw ProviderError.malformedResponse(
                bank: Self.bank, request: request, status: 200, reason: "no account_id in data; the account may exist: the next plan looks it up by name",
                requestID: requestID)
        }
        return (account, requestID)
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))) ?? text
    }
}

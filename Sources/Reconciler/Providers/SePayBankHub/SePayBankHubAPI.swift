import Foundation
import PlanModel

/// Bank Hub's list `meta` (companies, bank accounts).
struct SePayMeta: Decodable {
    var hasMore: Bool?
    var currentPage: Int?
    var pageCount: Int?

    enum CodingKeys: String, CodingKey {
        case hasMore = "has_more"
        case currentPage = "current_page"
        case pageCount = "page_count"
    }
}

struct SePayList<Item: Decodable>: Decodable {
    var data: [Item]
    var meta: SePayMeta?
}

struct SePayDetail<Item: Decodable>: Decodable {
    var data: Item?
}

/// `{"code":201,"access_token":"…","ttl":60000}`; `ttl` in seconds.
struct SePayToken: Decodable {
    var accessToken: String
    var ttl: Double?

    enum CodingKeys: String, CodingKey {
        case ttl
        case accessToken = "access_token"
    }
}

/// A Bank Hub number that may come as a number or a string (`"1"`, `"0"`).
struct SePayLoose: Decodable, Equatable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            text = String(number)
        } else if let flag = try? container.decode(Bool.self) {
            text = flag ? "1" : "0"
        } else {
            text = (try? container.decode(String.self)) ?? ""
        }
    }
}

struct SePayCompany: Decodable {
    var xid: String
    var fullName: String?
    var status: String?
    var configuration: SePayCompanyConfiguration?

    enum CodingKeys: String, CodingKey {
        case xid, status, configuration
        case fullName = "full_name"
    }
}

struct SePayCompanyConfiguration: Decodable {
    var paymentCode: SePayLoose?
    var paymentCodePrefix: String?
    var paymentCodeSuffixFrom: SePayLoose?
    var paymentCodeSuffixTo: SePayLoose?
    var paymentCodeSuffixCharacterType: String?
    var transactionAmount: SePayLoose?

    enum CodingKeys: String, CodingKey {
        case paymentCode = "payment_code"
        case paymentCodePrefix = "payment_code_prefix"
        case paymentCodeSuffixFrom = "payment_code_suffix_from"
        case paymentCodeSuffixTo = "payment_code_suffix_to"
        case paymentCodeSuffixCharacterType = "payment_code_suffix_character_type"
        case transactionAmount = "transaction_amount"
    }
}

struct SePayWebhook: Decodable {
    var webhookURL: String?
    var authType: String?
    var secretKey: String?
    var active: SePayLoose?
    var allowEvents: [String]?

    enum CodingKeys: String, CodingKey {
        case webhookURL = "webhook_url"
        case authType = "auth_type"
        case secretKey = "secret_key"
        case active
        case allowEvents = "allow_events"
    }
}

struct SePayMerchantConfig: Decodable {
    var keywords: [String]?
    var css: String?

    init(keywords: [String]? = nil, css: String? = nil) {
        self.keywords = keywords
        self.css = css
    }

    enum CodingKeys: String, CodingKey {
        case keywords = "transaction_whitelist_remark_keywords"
        case css = "global_hosted_link_custom_css"
    }
}

struct SePayBankAccount: Decodable {
    var xid: String
    var companyXID: String?
    var brandName: String?
    var accountNumber: String?
    var accountHolderName: String?
    var active: SePayLoose?

    enum CodingKeys: String, CodingKey {
        case xid
        case companyXID = "company_xid"
        case brandName = "brand_name"
        case accountNumber = "account_number"
        case accountHolderName = "account_holder_name"
        case active
    }
}

struct SePayLinkToken: Decodable {
    var xid: String
    var hostedLinkURL: String
    var linkToken: String
    var expiresAt: String?

    enum CodingKeys: String, CodingKey {
        case xid
        case hostedLinkURL = "hosted_link_url"
        case linkToken = "link_token"
        case expiresAt = "expires_at"
    }
}

struct SePayLinkTokenInfo: Decodable {
    var xid: String?
    var status: String?
    var expiresAt: String?

    enum CodingKeys: String, CodingKey {
        case xid, status
        case expiresAt = "expires_at"
    }
}

/// Any of Bank Hub's error envelopes: read `message`, then `error`, then the first field error.
struct SePayError: Decodable {
    var code: SePayLoose?
    var message: String?
    var error: String?
    var errors: [String: SePayErrorText]?
    var messages: SePayMessages?

    struct SePayMessages: Decodable {
        var error: [String]?
    }

    var text: String? {
        let fields = errors?.keys.sorted().map { "\($0): \(errors![$0]!.text)" }.joined(separator: "; ")
        return [message, error, fields, messages?.error?.joined(separator: "; ")].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " — ")
    }
}

/// A field error given as a string or a list of strings.
struct SePayErrorText: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let many = try? container.decode([String].self) {
            text = many.joined(separator: ", ")
        } else {
            text = (try? container.decode(String.self)) ?? ""
        }
    }
}

/// A bearer token and when to stop using it.
actor SePayTokenCache {
    var token: String?
    var renewAt = Date.distantPast

    func current(now: Date) -> String? {
        now < renewAt ? token : nil
    }

    func store(_ token: String, ttl: Double, now: Date) {
        self.token = token
        // Renew early: at 80% of the lifetime, and never later than a minute before expiry.
        renewAt = now.addingTimeInterval(max(0, min(ttl * 0.8, ttl - 60)))
    }

    func forget() {
        token = nil
        renewAt = .distantPast
    }
}

/// Calls Bank Hub with a cached bearer token, renewed early and once more on a 401; pages every list.
struct SePayBankHubClient: Sendable {
    static let bank = "SePay Bank Hub"

    let baseURL: String
    let clientID: String
    let clientSecret: Sensitive
    let transport: any HTTPTransport
    let now: @Sendable () -> Date
    let tokens = SePayTokenCache()

    init(baseURL: String, clientID: String, clientSecret: Sensitive, transport: any HTTPTransport, now: @escaping @Sendable () -> Date) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.transport = transport
        self.now = now
    }

    func token() async throws -> String {
        if let token = await tokens.current(now: now()) { return token }
        let basic = Data("\(clientID):\(clientSecret.revealed)".utf8).base64EncodedString()
        let call = HTTPCall(method: "POST", url: baseURL + "/v1/token", headers: [("Authorization", "Basic \(basic)"), ("Accept", "application/json")])
        let reply = try await exchange(call)
        let token = try decode(SePayToken.self, reply, call)
        await tokens.store(token.accessToken, ttl: token.ttl ?? 3600, now: now())
        return token.accessToken
    }

    /// Sends with the bearer token; on a 401 gets a new token and tries once more.
    func send<Payload: Decodable>(_ method: String, _ path: String, body: [String: Any]? = nil, as: Payload.Type) async throws -> Payload {
        var retried = false
        while true {
            let bearer = try await token()
            var headers: [(name: String, value: String)] = [("Authorization", "Bearer \(bearer)"), ("Accept", "application/json")]
            var bytes: [UInt8]?
            if let body {
                headers.append(("Content-Type", "application/json"))
                bytes = Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
            }
            let call = HTTPCall(method: method, url: baseURL + path, headers: headers, body: bytes)
            let reply = try await exchange(call)
            if reply.status == 401 && !retried {
                retried = true
                await tokens.forget()
                continue
            }
            return try decode(Payload.self, reply, call)
        }
    }

    func exchange(_ call: HTTPCall) async throws -> HTTPReply {
        do {
            return try await transport.send(call)
        } catch let failure as TransportFailure {
            throw ProviderError.unreachable(
                bank: Self.bank, request: call.summary, reason: failure.reason,
                mayHavePartlyApplied: call.method != "GET" && failure.requestMayHaveBeenSent)
        }
    }

    func decode<Payload: Decodable>(_ type: Payload.Type, _ reply: HTTPReply, _ call: HTTPCall) throws -> Payload {
        guard (200..<300).contains(reply.status) else {
            let envelope = try? JSONDecoder().decode(SePayError.self, from: Data(reply.body))
            throw ProviderError.rejected(
                bank: Self.bank, request: call.summary, status: reply.status, code: envelope?.code?.text,
                message: envelope?.text, requestID: reply.header("x-request-id"),
                mayHavePartlyApplied: call.method != "GET" && reply.status >= 500)
        }
        do {
            return try JSONDecoder().decode(Payload.self, from: Data(reply.body))
        } catch {
            throw ProviderError.malformedResponse(bank: Self.bank, request: call.summary, status: reply.status, reason: "\(error)", requestID: nil)
        }
    }

    /// Every item of a paged list, 100 a page, until `has_more` is false.
    func all<Item: Decodable>(_ path: String, query: String = "", as: Item.Type) async throws -> [Item] {
        var items: [Item] = []
        var page = 1
        while true {
            let separator = query.isEmpty ? "" : "&"
            let list = try await send("GET", "\(path)?page=\(page)&per_page=100\(separator)\(query)", as: SePayList<Item>.self)
            items += list.data
            guard list.meta?.hasMore == true, !list.data.isEmpty, page < 1000 else { return items }
            page += 1
        }
    }
}

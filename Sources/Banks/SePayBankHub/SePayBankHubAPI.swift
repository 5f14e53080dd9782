import Foundation
import PlanModel
import Reconciler

/// Bank Hub's list `meta` (companies, bank accounts).
struct SePayMeta: Decodable {
    var hasMore: Bool?
    var currentPage: Int?
    var pageCount: Int?
    var total: Int?

    enum CodingKeys: String, CodingKey {
        case total
        case hasMore = "has_more"
        case currentPage = "current_page"
        case pageCount = "page_count"
    }

    var info: PageInfo { PageInfo(hasMore: hasMore, page: currentPage, pageCount: pageCount, total: total) }
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
struct SePayLoose: Decodable, Equatable, Sendable {
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

struct SePayCompany: Decodable, Sendable {
    var xid: String
    var fullName: String?
    var status: String?
    var configuration: SePayCompanyConfiguration?

    enum CodingKeys: String, CodingKey {
        case xid, status, configuration
        case fullName = "full_name"
    }
}

struct SePayCompanyConfiguration: Decodable, Sendable {
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

struct SePayBankAccount: Decodable, Sendable {
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

/// Reads Bank Hub's error envelopes.
struct SePayErrorReader: ErrorReader {
    func fault(in reply: HTTPReply) -> BankFault? {
        guard !(200..<300).contains(reply.status) else { return nil }
        let envelope = try? JSONDecoder().decode(SePayError.self, from: Data(reply.body))
        let text = envelope?.text
        return BankFault(code: envelope?.code?.text, message: text?.isEmpty == false ? text : nil)
    }

    func hint(status: Int) -> String? {
        status == 401 ? "Check client_id and client_secret for this Bank Hub environment." : nil
    }
}

/// `POST /v1/token` with Basic `client_id:client_secret`; `ttl` in seconds.
struct SePayTokenSource: TokenSource {
    let api: BankAPI
    let clientID: String
    let clientSecret: Sensitive

    func issue() async throws -> IssuedToken {
        let basic = Data("\(clientID):\(clientSecret.revealed)".utf8).base64EncodedString()
        let token = try await api.send(
            "POST", "/v1/token", headers: [("Authorization", "Basic \(basic)"), ("Accept", "application/json")], as: SePayToken.self)
        return IssuedToken(value: Sensitive(token.accessToken), lifetime: token.ttl ?? 3600)
    }
}

/// Bank Hub calls with a bearer token (renewed early, and once more on a 401); pages every list.
struct SePayBankHubClient: Sendable {
    static let bank = "SePay Bank Hub"

    let api: BankAPI

    init(_ settings: SePayBankHubSettings, connection: BankConnection) {
        let plain = connection.pipeline.transport()
        let tokens = SePayTokenSource(
            api: BankAPI(bank: Self.bank, baseURL: connection.baseURL, transport: plain, errors: SePayErrorReader()),
            clientID: settings.clientID, clientSecret: settings.clientSecret)
        api = BankAPI(
            bank: Self.bank, baseURL: connection.baseURL,
            transport: BearerTokenTransport(plain, source: tokens, now: connection.now), errors: SePayErrorReader())
    }

    func send<Payload: Decodable>(_ method: String, _ path: String, body: [String: Any]? = nil, as type: Payload.Type) async throws -> Payload {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        var bytes: [UInt8]?
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
        }
        return try await api.send(method, path, headers: headers, body: bytes, as: type)
    }

    /// Every item of a paged list, 100 a page, as long as `meta` says more follow.
    func all<Item: Decodable & Sendable>(_ path: String, query: String = "", as: Item.Type) async throws -> [Item] {
        let separator = query.isEmpty ? "" : "&"
        return try await api.pages(of: path) { page in
            let list = try await send("GET", "\(path)?page=\(page)&per_page=100\(separator)\(query)", as: SePayList<Item>.self)
            return (list.data, list.meta?.info)
        }
    }
}

import Foundation
import PlanModel
import Reconciler

/// Bank Hub wire values ↔ model attributes. Only attributes the manifest sets are reported, so the
/// differ compares what Bank Hub can read back and nothing else.
enum SePayBankHubMapping {
    static let configurationFields = [
        "payment_code", "payment_code_prefix", "payment_code_suffix_from", "payment_code_suffix_to",
        "payment_code_suffix_character_type", "transaction_amount",
    ]

    /// A company as listed: the attributes every company shows.
    static func company(_ company: SePayCompany) -> LiveObject {
        var object = LiveObject(id: company.xid)
        if let name = company.fullName { object.attributes["full_name"] = .string(name) }
        if let status = company.status { object.attributes["status"] = .string(status) }
        return object
    }

    /// A company's detail as compared: its configuration only for the keys the manifest sets.
    static func companyAttributes(_ company: SePayCompany, desired: Resource) -> [String: Value] {
        var attributes = Self.company(company).attributes
        if case .object(let wanted)? = desired.attributes["configuration"], let live = company.configuration {
            var fields: [String: Value] = [:]
            for key in wanted.keys {
                if let value = configurationValue(key, live) { fields[key] = value }
            }
            attributes["configuration"] = .object(fields)
        }
        return attributes
    }

    static func configurationValue(_ key: String, _ live: SePayCompanyConfiguration) -> Value? {
        switch key {
        case "payment_code": return live.paymentCode.map { .string($0.text == "1" ? "on" : $0.text == "0" ? "off" : $0.text) }
        case "payment_code_prefix": return live.paymentCodePrefix.map { .string($0) }
        case "payment_code_suffix_from": return live.paymentCodeSuffixFrom.flatMap { Int($0.text) }.map { .integer($0) }
        case "payment_code_suffix_to": return live.paymentCodeSuffixTo.flatMap { Int($0.text) }.map { .integer($0) }
        case "payment_code_suffix_character_type": return live.paymentCodeSuffixCharacterType.map { .string($0) }
        case "transaction_amount":
            guard let text = live.transactionAmount?.text else { return nil }
            return Int(text).map { .integer($0) } ?? .string(text)
        default: return nil
        }
    }

    /// The edit body for a company: every attribute the manifest sets, configuration flattened.
    static func editBody(_ resource: Resource) -> [String: Any] {
        var body: [String: Any] = [:]
        for key in ["full_name", "short_name", "status"] {
            if let value = resource.attributes[key] { body[key] = value.revealedText }
        }
        if case .object(let configuration)? = resource.attributes["configuration"] {
            for (key, value) in configuration {
                body[key] = json(value)
            }
        }
        return body
    }

    static func json(_ value: Value) -> Any {
        switch value {
        case .integer(let number): return number
        case .boolean(let flag): return flag
        case .list(let items): return items.map(json)
        case .object(let fields): return fields.mapValues(json)
        case .string, .sensitive: return value.revealedText
        }
    }

    /// The webhook as compared: the secret reads back masked (`***5678`), so it counts as unchanged when
    /// its last four characters match, and as changed otherwise.
    static func webhook(_ webhook: SePayWebhook) -> LiveObject {
        var attributes: [String: Value] = [:]
        if let url = webhook.webhookURL { attributes["url"] = .string(url) }
        if let auth = webhook.authType { attributes["auth_type"] = .string(auth) }
        if let active = webhook.active { attributes["active"] = .boolean(active.text == "1" || active.text == "true") }
        attributes["allow_events"] = .list((webhook.allowEvents ?? []).map { .string($0 == "BANK_ACCOUNT_INACTIVED" ? "BANK_ACCOUNT_INACTIVATED" : $0) })
        if let masked = webhook.secretKey { attributes["secret"] = .string(masked) }
        return LiveObject(id: "webhook", attributes: attributes)
    }

    /// The masked secret counts as the desired one when their last four characters agree; otherwise it stays a
    /// secret too (its characters are the secret's), so the plan shows it changing without showing any of it.
    static func webhookAttributes(_ object: LiveObject, desired: Resource) -> [String: Value] {
        var attributes = object.attributes
        if case .string(let masked)? = attributes["secret"], let wanted = desired.attributes["secret"] {
            attributes["secret"] = masked.suffix(4) == wanted.revealedText.suffix(4) ? wanted : .sensitive(Sensitive(masked))
        } else {
            attributes["secret"] = nil
        }
        return attributes
    }

    static func webhookBody(_ resource: Resource) -> [String: Any] {
        var body: [String: Any] = [:]
        if let url = resource.attributes["url"] { body["webhook_url"] = url.revealedText }
        if let secret = resource.attributes["secret"] { body["secret_key"] = secret.revealedText }
        if let auth = resource.attributes["auth_type"] { body["auth_type"] = auth.revealedText }
        if case .boolean(let active)? = resource.attributes["active"] { body["active"] = active ? 1 : 0 }
        if let events = resource.attributes["allow_events"] { body["allow_events"] = json(events) }
        return body
    }

    /// The merchant config; the differ then compares only the keys the manifest sets.
    static func merchantConfig(_ config: SePayMerchantConfig) -> LiveObject {
        var attributes: [String: Value] = ["transaction_whitelist_remark_keywords": .list((config.keywords ?? []).map { .string($0) })]
        if let css = config.css { attributes["global_hosted_link_custom_css"] = .string(css) }
        return LiveObject(id: "merchant-config", attributes: attributes)
    }

    /// A linked account, tied to its company.
    static func linkedAccount(_ account: SePayBankAccount, company: String) -> LiveObject {
        var object = LiveObject(id: account.xid, references: ["company": account.companyXID ?? company])
        if let number = account.accountNumber {
            object.attributes["account_number"] = .string(number)
            object.attributes["linked_account_number"] = .string(number)
        }
        if let bank = account.brandName { object.attributes["bank"] = .string(bank) }
        return object
    }

    static func merchantConfigBody(_ resource: Resource) -> [String: Any] {
        resource.attributes.mapValues(json)
    }

    /// Bank Hub's `expires_at` (`yyyy-MM-dd HH:mm:ss`, read as UTC+7: **inferred**) as ISO 8601 in UTC, so a person
    /// sees the zone; a text that does not parse is passed on as written.
    static func expiry(_ text: String?) -> String? {
        guard let text else { return nil }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.dateFormat = "yyyy-MM-dd HH:mm:ss"
        local.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        guard let date = local.date(from: text) else { return text }
        let writer = ISO8601DateFormatter()
        writer.timeZone = TimeZone(identifier: "UTC")
        return writer.string(from: date)
    }
}

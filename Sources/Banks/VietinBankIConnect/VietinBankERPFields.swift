import Foundation
import PlanModel

/// The fields every ERP call carries besides its own, as public ERP integrations send them: `model`, `transTime`,
/// `channel`, `version`, `clientIP`, `language`, and on statement calls `accountType`, `agencyType`, `collectionType`.
/// Each value but `transTime` is a setting (`erp_fields`); the defaults are what the public integrations send.
struct VietinBankERPFields: Sendable, Equatable {
    var model = "1"
    var channel = "ERP"
    var version = "1"
    var language = "vi"
    var clientIP = ""
    var accountType = "D"
    var agencyType = ""
    var collectionType = ""

    /// `transTime` is Vietnam's local time (UTC+7), `yyyyMMddHHmmss`.
    static let transTimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    init() {}

    /// The defaults, overridden by what the manifest sets under `erp_fields`.
    init(_ value: Value?) {
        guard case .object(let fields)? = value else { return }
        let text = { (name: String) in fields[name]?.revealedText }
        model = text("model") ?? model
        channel = text("channel") ?? channel
        version = text("version") ?? version
        language = text("language") ?? language
        clientIP = text("client_ip") ?? clientIP
        accountType = text("account_type") ?? accountType
        agencyType = text("agency_type") ?? agencyType
        collectionType = text("collection_type") ?? collectionType
    }

    /// `date` as `transTime`.
    static func transTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = transTimeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02d%02d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0,
            parts.second ?? 0)
    }

    /// A statement call's body: the partner's ids, `model` and the statement fields, the operation's own fields, then
    /// `transTime`, `channel`, `version`, `clientIP` and `language`. Empty values are sent as `""` (and not signed).
    func statementBody(ids: [(String, String)], _ own: [(String, String)], at date: Date) -> [(String, String)] {
        ids + [("model", model), ("accountType", accountType), ("agencyType", agencyType), ("collectionType", collectionType)] + own
            + [("transTime", Self.transTime(date)), ("channel", channel), ("version", version), ("clientIP", clientIP), ("language", language)]
    }
}

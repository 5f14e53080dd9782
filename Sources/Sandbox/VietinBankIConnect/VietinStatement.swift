import Foundation

/// The statement inquiry's answer, in the provider reference's own field names and formats (kept verbatim, spelling
/// included): `curency`, `openningBal`, and per transaction `transactionDate` (`DD-MM-YYYY HH:mm:ss`) with `debit` and
/// `credit` as separate strings, one empty. The request's `fromDate`/`toDate` are `DD/MM/YYYY`.
enum VietinStatement {
    /// Business codes of the sandbox's statement inquiry besides `1` (the reference documents none): `02` a request
    /// without an account or with a malformed date, `03` an account not registered to the partner.
    static func inquiry(_ body: [String: String], accounts: [VietinSeed.Account], provider: String) -> VietinOutcome {
        let number = body["account"] ?? ""
        guard !number.isEmpty else { return .refused("02", "account is required") }
        guard let account = accounts.first(where: { $0.account == number }) else {
            return .refused("03", "Account \(number) is not registered to provider \(provider)")
        }
        var range: (from: Date?, to: Date?) = (nil, nil)
        for (field, isEnd) in [("fromDate", false), ("toDate", true)] {
            guard let text = body[field], !text.isEmpty else { continue }
            guard let day = requestDate(text) else { return .refused("02", "\(field) must be DD/MM/YYYY, not \(text)") }
            if isEnd { range.to = day.addingTimeInterval(86_400) } else { range.from = day }
        }
        let lines = account.transactions.filter { line in
            guard let date = date(line.date) else { return false }
            return range.from.map { date >= $0 } ?? true && range.to.map { date < $0 } ?? true
        }
        let transactions: [[String: Any]] = lines.map {
            ["transactionDate": $0.date, "debit": $0.debit, "credit": $0.credit, "remark": $0.remark]
        }
        return VietinOutcome(
            code: "1", message: "Success",
            fields: ["account": account.account, "curency": account.currency, "openningBal": account.openingBalance, "transactions": transactions])
    }

    static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    /// A statement line's `DD-MM-YYYY HH:mm:ss`.
    static func date(_ text: String) -> Date? {
        parse(text, format: "dd-MM-yyyy HH:mm:ss")
    }

    /// A request's `DD/MM/YYYY`, the start of that day.
    static func requestDate(_ text: String) -> Date? {
        parse(text, format: "dd/MM/yyyy")
    }

    static func parse(_ text: String, format: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        formatter.isLenient = false
        guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
        return date
    }
}

/// One message of the hosted page in both of its languages: English for JSON answers and `en` pages, Vietnamese for `vi` pages.
struct SePayWords: Sendable, Equatable {
    var en: String
    var vi: String

    /// The message in a page's language (`en`, else Vietnamese, the sandbox's default).
    func text(_ language: String) -> String {
        language == "en" ? en : vi
    }
}

extension SePayWords {
    static let ask = SePayWords(en: "Ask for a new link.", vi: "Hãy yêu cầu một liên kết mới.")
    static let closeWindow = SePayWords(en: "You can close this window.", vi: "Bạn có thể đóng cửa sổ này.")
    static let banner = SePayWords(
        en: "SANDBOX — a simulator of SePay Bank Hub run by provision. No real bank is contacted; every account and OTP here is simulated.",
        vi: "MÔI TRƯỜNG THỬ NGHIỆM — trình mô phỏng SePay Bank Hub của provision. Không có ngân hàng thật nào được liên hệ; mọi tài khoản và OTP ở đây đều là giả lập.")
    static let notFoundTitle = SePayWords(en: "Link not found", vi: "Không tìm thấy liên kết")
    static let notFound = SePayWords(
        en: "No such link. Check the address, or ask for a new link.", vi: "Không có liên kết này. Hãy kiểm tra địa chỉ, hoặc yêu cầu một liên kết mới.")
    static let goneTitle = SePayWords(en: "Link unavailable", vi: "Liên kết không còn dùng được")
    static let revoked = SePayWords(en: "This link was revoked. \(ask.en)", vi: "Liên kết này đã bị thu hồi. \(ask.vi)")
    static let used = SePayWords(
        en: "This link has already been used; a link works only once. \(ask.en)",
        vi: "Liên kết này đã được sử dụng; mỗi liên kết chỉ dùng được một lần. \(ask.vi)")
    static let unlinkGone = SePayWords(
        en: "The bank account to unlink is no longer linked. \(ask.en)", vi: "Tài khoản cần hủy liên kết không còn được liên kết. \(ask.vi)")
    static let errorTitle = SePayWords(en: "Sandbox error", vi: "Lỗi sandbox")
    static let badRequestTitle = SePayWords(en: "Bad request", vi: "Yêu cầu không hợp lệ")
    static let chooseBank = SePayWords(en: "Choose a bank.", vi: "Hãy chọn ngân hàng.")
    static let enterNumber = SePayWords(en: "Enter the account number.", vi: "Hãy nhập số tài khoản.")
    static let numberDigits = SePayWords(en: "The account number must be 4 to 20 digits.", vi: "Số tài khoản phải có từ 4 đến 20 chữ số.")
    static let enterHolder = SePayWords(en: "Enter the account holder's name.", vi: "Hãy nhập tên chủ tài khoản.")
    static let holderTooLong = SePayWords(
        en: "The account holder's name may not be greater than 200 characters.", vi: "Tên chủ tài khoản không được dài quá 200 ký tự.")
    static let accountType = SePayWords(
        en: "The account type must be individual or enterprise.", vi: "Loại tài khoản phải là cá nhân (individual) hoặc doanh nghiệp (enterprise).")

    static func expired(_ when: String) -> SePayWords {
        SePayWords(en: "This link expired at \(when). \(ask.en)", vi: "Liên kết này đã hết hạn lúc \(when). \(ask.vi)")
    }

    static func liveOnly(_ bank: String, sandbox: String) -> SePayWords {
        SePayWords(
            en: "\(bank) is available in production only; the sandbox has \(sandbox).", vi: "\(bank) chỉ có ở môi trường thật; sandbox có \(sandbox).")
    }

    static func unknownBank(_ bank: String, sandbox: String) -> SePayWords {
        SePayWords(en: "Unknown bank \(bank); the sandbox has \(sandbox).", vi: "Không có ngân hàng \(bank); sandbox có \(sandbox).")
    }

    static func alreadyLinked(_ bank: String) -> SePayWords {
        SePayWords(en: "This \(bank) account is already linked.", vi: "Tài khoản \(bank) này đã được liên kết.")
    }

    static func enterOTP(_ expected: String) -> SePayWords {
        SePayWords(en: "Enter the OTP (sandbox: \(expected)).", vi: "Hãy nhập mã OTP (sandbox: \(expected)).")
    }

    static func wrongOTP(_ expected: String) -> SePayWords {
        SePayWords(en: "Wrong OTP. The sandbox OTP is \(expected).", vi: "Sai mã OTP. Mã OTP của sandbox là \(expected).")
    }

    static func unreadable(_ reason: String) -> SePayWords {
        SePayWords(en: reason, vi: "Không đọc được dữ liệu gửi lên: \(reason)")
    }
}

import Foundation
import NIOHTTP1
import Sandbox
import Testing

/// The Hosted Link as a person meets it in a browser: the simulator banner, Vietnamese on a `vi` page, errors tied to
/// their fields, a page to close when there is no redirect, and a repeated completion answered as the first.
@Suite("SePay Hosted Link pages for a person")
struct SePayHostedPageTests {
    static let form = "bank=ACB&account_number=0011223344&account_holder_name=NGUYEN+VAN+A&otp=12345678"
    static let banner = "MÔI TRƯỜNG THỬ NGHIỆM — trình mô phỏng SePay Bank Hub"

    /// A new link token's string, in `language`, with or without a redirect.
    static func linkToken(_ sepay: SePayHarness, language: String = "vi", redirect: String? = nil) async throws -> String {
        let bearer = try await sepay.token()
        let company = try await sepay.company("CONG TY \(UUID().uuidString.prefix(8))", bearer: bearer)
        var extra: [String: Any] = ["language": language]
        extra["completion_redirect_uri"] = redirect
        let created = try await sepay.linkToken(company: company, extra: extra, bearer: bearer)
        return try #require(created.json["link_token"] as? String, "\(created.raw)")
    }

    static func accountCount(_ sepay: SePayHarness) async throws -> Int? {
        try await sepay.call(.GET, "/v1/bank-account", bearer: try await sepay.token()).meta["total"] as? Int
    }

    static func linkedEvents(_ sepay: SePayHarness, _ linkToken: String) async throws -> Int {
        let info = try await sepay.call(.POST, "/v1/link-token/get", bearer: try await sepay.token(), json: SePayHarness.object(["link_token": linkToken]))
        return (info.json["events"] as? [[String: Any]] ?? []).filter { $0["name"] as? String == "BANK_ACCOUNT_LINKED" }.count
    }

    @Test("a completion sent again after it succeeded lands on the same success page, linking nothing more")
    func repeatedCompletionIsIdempotent() async throws {
        try await SePayHarness.inProcess { sepay in
            let linkToken = try await Self.linkToken(sepay)
            let first = try await sepay.call(.POST, "/hosted/\(linkToken)/complete", form: Self.form)
            let second = try await sepay.call(.POST, "/hosted/\(linkToken)/complete", form: Self.form)
            for reply in [first, second] {
                #expect(reply.status == 200, "\(reply.raw)")
                #expect(reply.raw.contains("Đã liên kết tài khoản"), "\(reply.raw)")
            }
            #expect(first.raw == second.raw, "the same page, the same bank_account_xid")
            #expect(try await Self.accountCount(sepay) == 1)
            #expect(try await Self.linkedEvents(sepay, linkToken) == 1)
            let json = try await sepay.complete(linkToken, bank: "ACB", number: "0011223344")
            #expect(json.status == 200 && json.data?["bank_account_xid"] as? String != nil, "\(json.raw)")
            // Another account on a used link is still refused.
            let other = try await sepay.call(.POST, "/hosted/\(linkToken)/complete", form: Self.form.replacingOccurrences(of: "0011223344", with: "5566778899"))
            #expect(other.status == 410, "\(other.raw)")
        }
    }

    @Test("two concurrent completions of one session, on a real port, both get the success page")
    func concurrentCompletionsBothSucceed() async throws {
        try await SePayHarness.with { sepay in
            let linkToken = try await Self.linkToken(sepay)
            _ = try await sepay.call(.GET, "/hosted/\(linkToken)")
            async let one = sepay.call(.POST, "/hosted/\(linkToken)/complete", form: Self.form)
            async let two = sepay.call(.POST, "/hosted/\(linkToken)/complete", form: Self.form)
            let replies = try await [one, two]
            for reply in replies {
                #expect(reply.status == 200, "\(reply.raw)")
                #expect(reply.raw.contains("<h1 class=\"done\">Đã liên kết tài khoản</h1>"), "\(reply.raw)")
            }
            #expect(replies[0].raw == replies[1].raw)
            #expect(try await Self.accountCount(sepay) == 1)
            #expect(try await Self.linkedEvents(sepay, linkToken) == 1)
        }
    }

    @Test("every page, the form, the success page, 404 and 410, shows the simulator banner in the page's language")
    func bannerOnEveryPage() async throws {
        try await SePayHarness.inProcess { sepay in
            let vi = try await Self.linkToken(sepay)
            let en = try await Self.linkToken(sepay, language: "en")
            let form = try await sepay.call(.GET, "/hosted/\(vi)")
            let done = try await sepay.call(.POST, "/hosted/\(vi)/complete", form: Self.form)
            let used = try await sepay.call(.GET, "/hosted/\(vi)")
            let unknown = try await sepay.call(.GET, "/hosted/\(UUID().uuidString.lowercased())")
            for (reply, status) in [(form, 200), (done, 200), (used, 410), (unknown, 404)] {
                #expect(reply.status == status, "\(reply.raw)")
                #expect(reply.raw.contains("<div class=\"sandbox-banner\" role=\"note\""), "\(reply.raw)")
                #expect(reply.raw.contains(Self.banner), "\(reply.raw)")
            }
            let english = try await sepay.call(.GET, "/hosted/\(en)")
            #expect(english.raw.contains("SANDBOX — a simulator of SePay Bank Hub run by provision. No real bank is contacted"))
        }
    }

    @Test("a vi page's errors, 410 and 404 are Vietnamese; JSON answers stay English")
    func vietnamesePages() async throws {
        try await SePayHarness.inProcess { sepay in
            let linkToken = try await Self.linkToken(sepay)
            let wrong = try await sepay.call(.POST, "/hosted/\(linkToken)/complete", form: "bank=ACB&account_number=12&account_holder_name=&otp=1")
            #expect(wrong.status == 400)
            for text in ["Sai mã OTP. Mã OTP của sandbox là 12345678.", "Số tài khoản phải có từ 4 đến 20 chữ số.", "Hãy nhập tên chủ tài khoản."] {
                #expect(wrong.raw.contains(text), "\(text): \(wrong.raw)")
            }
            #expect(!wrong.raw.contains("Wrong OTP"))
            let json = try await sepay.complete(linkToken, otp: "00000000")
            #expect(json.errors?["otp"] as? String == "Wrong OTP. The sandbox OTP is 12345678.")

            _ = try await sepay.call(.POST, "/hosted/\(linkToken)/complete", form: Self.form)
            let used = try await sepay.call(.GET, "/hosted/\(linkToken)")
            #expect(used.status == 410)
            #expect(used.raw.contains("<html lang=\"vi\">"))
            #expect(used.raw.contains("Liên kết không còn dùng được") && used.raw.contains("mỗi liên kết chỉ dùng được một lần"), "\(used.raw)")
            let unknown = try await sepay.call(.GET, "/hosted/\(UUID().uuidString.lowercased())")
            #expect(unknown.status == 404 && unknown.raw.contains("Không tìm thấy liên kết"), "\(unknown.raw)")
            let english = try await sepay.call(.GET, "/hosted/nonsense", headers: [("Accept-Language", "en-US,en;q=0.9")])
            #expect(english.status == 404 && english.raw.contains("Link not found"), "\(english.raw)")
        }
    }

    @Test("without a redirect the success page says the window can be closed, in the page's language; with one it is a 303")
    func closeTheWindow() async throws {
        try await SePayHarness.inProcess { sepay in
            let vi = try await sepay.call(.POST, "/hosted/\(try await Self.linkToken(sepay))/complete", form: Self.form)
            #expect(vi.raw.contains("<p role=\"status\"><strong>Bạn có thể đóng cửa sổ này.</strong></p>"), "\(vi.raw)")
            // Each link names another account: the same account is linked once per merchant.
            let en = try await sepay.call(
                .POST, "/hosted/\(try await Self.linkToken(sepay, language: "en"))/complete", form: Self.form.replacingOccurrences(of: "44", with: "55"))
            #expect(en.raw.contains("You can close this window."), "\(en.raw)")
            let redirected = try await sepay.call(
                .POST, "/hosted/\(try await Self.linkToken(sepay, redirect: "https://app.example.com/done"))/complete",
                form: Self.form.replacingOccurrences(of: "44", with: "66"))
            #expect(redirected.status == 303 && redirected.header("location") == "https://app.example.com/done")
            #expect(!redirected.raw.contains("đóng cửa sổ"))
        }
    }

    @Test("each error sits under its field with role=alert and the field's aria-describedby; every input has a label; submit disables the button")
    func accessibleForm() async throws {
        try await SePayHarness.inProcess { sepay in
            let linkToken = try await Self.linkToken(sepay)
            let page = try await sepay.call(.POST, "/hosted/\(linkToken)/complete", form: "bank=ACB&account_number=&account_holder_name=AN&otp=1")
            #expect(page.status == 400)
            #expect(page.raw.contains(#"<input id="field-otp" name="otp" aria-invalid="true" aria-describedby="error-otp""#), "\(page.raw)")
            #expect(page.raw.contains(#"<p class="error" id="error-otp" role="alert">Sai mã OTP"#), "\(page.raw)")
            #expect(page.raw.contains(#"aria-describedby="error-account_number""#) && page.raw.contains(#"id="error-account_number" role="alert""#))
            #expect(!page.raw.contains(#"aria-describedby="error-account_holder_name""#), "a field without an error is not marked")
            let ids = page.raw.matches(of: /id="field-([a-z_]+)"/).map { String($0.output.1) }
            #expect(Set(ids) == ["bank", "account_number", "account_holder_name", "account_type", "otp"])
            for id in ids { #expect(page.raw.contains("<label for=\"field-\(id)\">"), "label for \(id)") }
            #expect(page.raw.contains(#"onsubmit="this.querySelector('button[type=submit]').disabled=true""#))
        }
    }
}

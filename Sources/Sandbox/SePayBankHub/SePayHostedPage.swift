import Foundation

/// The sandbox's Hosted Link: the page `hosted_link_url` opens, and the one call that completes it.
///
/// `GET /sepay/hosted/{link_token}` shows a form; `POST /sepay/hosted/{link_token}/complete` (form-encoded or JSON)
/// links or unlinks the account in one step, then redirects (303) to `completion_redirect_uri` when the token has one.
/// Answers are HTML, or JSON when the request sends JSON or asks for it with `Accept: application/json`.
extension SePaySimulator {
    /// `GET /hosted/{link_token}`: the page, counting an open.
    func openHostedLink(_ request: SimulatedRequest) async -> SimulatedResponse {
        let result = await world.openHostedLink(request.parameter("token"), now: now())
        await deliver(result.events, to: result.webhook)
        return render(result.outcome, json: Self.wantsJSON(request), input: [:])
    }

    /// `POST /hosted/{link_token}/complete`: the whole bank step in one call; number fields may come as JSON numbers.
    func completeHostedLink(_ request: SimulatedRequest) async -> SimulatedResponse {
        let input: [String: String]
        switch Self.bodyObject(request) {
        case .success(let object):
            input = object.compactMapValues { value in
                switch value {
                case .string(let text): text
                case .int(let number): String(number)
                default: nil
                }
            }
        case .failure(let problem):
            return render(.invalid(["body": problem.reason], nil), json: Self.wantsJSON(request), input: [:])
        }
        let result = await world.completeHostedLink(request.parameter("token"), input: input, now: now())
        await deliver(result.events, to: result.webhook)
        return render(result.outcome, json: Self.wantsJSON(request), input: input)
    }

    /// Whether the answer is JSON: the request sends JSON, or asks for it with `Accept: application/json`.
    static func wantsJSON(_ request: SimulatedRequest) -> Bool {
        SePayText.mediaType(request.headers["content-type"]) == "application/json"
            || (request.headers["accept"] ?? "").lowercased().contains("application/json")
    }

    func render(_ outcome: SePayWorld.HostedOutcome, json: Bool, input: [String: String]) -> SimulatedResponse {
        switch outcome {
        case .unknown:
            return json ? Self.json(.notFound) : Self.page(404, Self.message(title: "Link not found", text: "No such link. Check the address, or ask for a new link."))
        case .gone(let why):
            return json
                ? Self.json(SePayAnswer(status: 410, body: ["code": 410, "message": .string(why)]))
                : Self.page(410, Self.message(title: "Link unavailable", text: why))
        case .unavailable(let why):
            return json
                ? Self.json(SePayAnswer(status: 503, body: ["code": 503, "message": .string(why)]))
                : Self.page(503, Self.message(title: "Sandbox error", text: why))
        case .page(let view):
            return json ? Self.json(.ok(["data": Self.summary(view)])) : Self.page(200, Self.form(view, errors: [:], input: [:]))
        case .invalid(let errors, let view):
            if json { return Self.json(.badRequest(errors)) }
            guard let view else { return Self.page(400, Self.message(title: "Bad request", text: errors.values.sorted().joined(separator: " "))) }
            return Self.page(400, Self.form(view, errors: errors, input: input))
        case .completed(let token, let accountXID, let unlinked):
            var headers: [(String, String)] = []
            var status = 200
            if let redirect = token.completionRedirectURI {
                headers.append(("Location", redirect))
                status = 303
            }
            if json {
                let body: SePayJSON = [
                    "code": 200, "message": unlinked ? "Bank account unlinked" : "Bank account linked",
                    "data": [
                        "link_token_xid": .string(token.xid), "bank_account_xid": .string(accountXID), "unlinked": .bool(unlinked),
                        "completion_redirect_uri": .optional(token.completionRedirectURI),
                    ],
                ]
                return SimulatedResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: body.encoded())
            }
            let english = token.language == "en"
            let title = unlinked ? (english ? "Bank account unlinked" : "Đã hủy liên kết tài khoản") : (english ? "Bank account linked" : "Đã liên kết tài khoản")
            var page = Self.page(status, Self.message(
                title: title, text: "bank_account_xid: \(accountXID)", redirect: token.completionRedirectURI, language: token.language))
            page.headers += headers
            return page
        }
    }

    static func page(_ status: Int, _ html: String) -> SimulatedResponse {
        SimulatedResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(html.utf8))
    }

    static func summary(_ view: SePayWorld.HostedView) -> SePayJSON {
        [
            "link_token_xid": .string(view.token.xid), "purpose": .string(view.token.purpose), "company_full_name": .string(view.companyName),
            "banks": .array(SePayWorld.sandboxBanks.map(SePayJSON.string)), "language": .string(view.token.language),
            "bank_account_xid": .optional(view.account?.xid),
        ]
    }

    static let baseStyle = """
        body{font-family:system-ui,sans-serif;background:#f5f6f8;margin:0;padding:2rem;color:#1c1e21}
        main{max-width:28rem;margin:auto;background:#fff;border-radius:.5rem;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
        label{display:block;margin:.75rem 0}input,select{display:block;width:100%;padding:.5rem;margin-top:.25rem;box-sizing:border-box}
        button{margin-top:1rem;padding:.6rem 1.2rem}.note{color:#555;font-size:.9rem}.errors{color:#b00020}
        """

    static func document(title: String, body: String, css: String? = nil, language: String = "vi") -> String {
        // `<script` is refused in the custom CSS; `</` is neutralised so it cannot close the style element either.
        let custom = css.map { "<style>\($0.replacingOccurrences(of: "</", with: "<\\/"))</style>" } ?? ""
        return """
            <!doctype html>
            <html lang="\(language)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(SePayText.html(title)) · SePay Bank Hub sandbox</title><style>\(baseStyle)</style>\(custom)</head>
            <body><main>
            \(body)
            </main></body></html>
            """
    }

    static func message(title: String, text: String, redirect: String? = nil, language: String = "en") -> String {
        var body = "<h1>\(SePayText.html(title))</h1><p>\(SePayText.html(text))</p>"
        if let redirect { body += "<p><a href=\"\(SePayText.html(redirect))\">\(language == "vi" ? "Tiếp tục" : "Continue")</a></p>" }
        return document(title: title, body: body, language: language)
    }

    static func form(_ view: SePayWorld.HostedView, errors: [String: String], input: [String: String]) -> String {
        let english = view.token.language == "en"
        func text(_ vi: String, _ en: String) -> String { SePayText.html(english ? en : vi) }
        func value(_ name: String) -> String { SePayText.html(input[name] ?? "") }
        let unlink = view.token.purpose == "UNLINK_BANK_ACCOUNT"
        let title = unlink ? (english ? "Unlink a bank account" : "Hủy liên kết tài khoản ngân hàng") : (english ? "Link a bank account" : "Liên kết tài khoản ngân hàng")
        var body = ""
        if let logo = view.logoURL { body += "<img src=\"\(SePayText.html(logo))\" alt=\"logo\" style=\"max-height:3rem\">" }
        body += "<h1>\(SePayText.html(title))</h1><p>\(text("Công ty", "Company")): <strong>\(SePayText.html(view.companyName))</strong></p>"
        if !errors.isEmpty {
            body += "<ul class=\"errors\">" + errors.keys.sorted().map { "<li>\(SePayText.html(errors[$0]!))</li>" }.joined() + "</ul>"
        }
        body += "<form method=\"post\" action=\"/sepay/hosted/\(SePayText.html(view.token.token))/complete\">"
        if unlink, let account = view.account {
            body += "<p>\(SePayText.html(account.brandName)) · \(SePayText.html(account.accountNumber)) · \(SePayText.html(account.accountHolderName))</p>"
            let otp = account.accountType == "enterprise" ? SePayWorld.enterpriseOTP : SePayWorld.individualOTP
            body += "<p class=\"note\">\(text("Sandbox: OTP là", "Sandbox: the OTP is")) \(otp)</p>"
        } else {
            let chosen = input["bank"] ?? "MBBank"
            body += "<label>\(text("Ngân hàng", "Bank"))<select name=\"bank\">"
            body += SePayWorld.sandboxBanks.map { bank in
                "<option value=\"\(bank)\"\(bank.lowercased() == chosen.lowercased() ? " selected" : "")>\(bank)</option>"
            }.joined()
            body += "</select></label>"
            body += "<label>\(text("Số tài khoản", "Account number"))<input name=\"account_number\" inputmode=\"numeric\" required value=\"\(value("account_number"))\"></label>"
            body += "<label>\(text("Tên chủ tài khoản", "Account holder name"))<input name=\"account_holder_name\" required value=\"\(value("account_holder_name"))\"></label>"
            let enterprise = input["account_type"] == "enterprise"
            body += "<label>\(text("Loại tài khoản", "Account type"))<select name=\"account_type\">"
            body += "<option value=\"individual\"\(enterprise ? "" : " selected")>\(text("Cá nhân", "Individual"))</option>"
            body += "<option value=\"enterprise\"\(enterprise ? " selected" : "")>\(text("Doanh nghiệp", "Business"))</option></select></label>"
            body += "<p class=\"note\">\(text("Sandbox: OTP là", "Sandbox: the OTP is")) \(SePayWorld.individualOTP) "
            body += "\(text("(doanh nghiệp:", "(business:")) \(SePayWorld.enterpriseOTP))</p>"
        }
        body += "<label>OTP<input name=\"otp\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required></label>"
        body += "<button type=\"submit\">\(unlink ? text("Hủy liên kết", "Unlink") : text("Liên kết", "Link"))</button></form>"
        return document(title: title, body: body, css: view.css, language: view.token.language)
    }
}

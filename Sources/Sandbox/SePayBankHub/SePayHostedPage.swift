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
        return render(result.outcome, for: request, input: [:])
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
            return render(.invalid(["body": .unreadable(problem.reason)], nil), for: request, input: [:])
        }
        let result = await world.completeHostedLink(request.parameter("token"), input: input, now: now())
        await deliver(result.events, to: result.webhook)
        return render(result.outcome, for: request, input: input)
    }

    /// Whether the answer is JSON: the request sends JSON, or asks for it with `Accept: application/json`.
    static func wantsJSON(_ request: SimulatedRequest) -> Bool {
        SePayText.mediaType(request.headers["content-type"]) == "application/json"
            || (request.headers["accept"] ?? "").lowercased().contains("application/json")
    }

    /// The language of a page with no token to say it: `en` when the browser prefers English, else Vietnamese.
    static func browserLanguage(_ request: SimulatedRequest) -> String {
        (request.headers["accept-language"] ?? "").lowercased().hasPrefix("en") ? "en" : "vi"
    }

    func render(_ outcome: SePayWorld.HostedOutcome, for request: SimulatedRequest, input: [String: String]) -> SimulatedResponse {
        let json = Self.wantsJSON(request)
        switch outcome {
        case .unknown:
            let language = Self.browserLanguage(request)
            return json ? Self.json(.notFound) : Self.page(404, Self.message(title: .notFoundTitle, text: SePayWords.notFound.text(language), language: language))
        case .gone(let why, let language):
            return json
                ? Self.json(SePayAnswer(status: 410, body: ["code": 410, "message": .string(why.en)]))
                : Self.page(410, Self.message(title: .goneTitle, text: why.text(language), language: language))
        case .unavailable(let why):
            return json
                ? Self.json(SePayAnswer(status: 503, body: ["code": 503, "message": .string(why)]))
                : Self.page(503, Self.message(title: .errorTitle, text: why, language: Self.browserLanguage(request)))
        case .page(let view):
            return json ? Self.json(.ok(["data": Self.summary(view)])) : Self.page(200, Self.form(view, errors: [:], input: [:]))
        case .invalid(let errors, let view):
            if json { return Self.json(.badRequest(errors.mapValues(\.en))) }
            guard let view else {
                let language = Self.browserLanguage(request)
                let text = errors.keys.sorted().map { errors[$0]!.text(language) }.joined(separator: " ")
                return Self.page(400, Self.message(title: .badRequestTitle, text: text, language: language))
            }
            return Self.page(400, Self.form(view, errors: errors, input: input))
        case .completed(let token, let accountXID, let unlinked):
            return completed(token, accountXID: accountXID, unlinked: unlinked, json: json)
        }
    }

    /// The answer to a finished flow: 303 to `completion_redirect_uri` when the token has one, else a page saying
    /// the window can be closed.
    func completed(_ token: SePayWorld.LinkToken, accountXID: String, unlinked: Bool, json: Bool) -> SimulatedResponse {
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
        let title = unlinked
            ? SePayWords(en: "Bank account unlinked", vi: "Đã hủy liên kết tài khoản") : SePayWords(en: "Bank account linked", vi: "Đã liên kết tài khoản")
        var page = Self.page(status, Self.message(
            title: title, text: "bank_account_xid: \(accountXID)", redirect: token.completionRedirectURI, language: token.language, success: true))
        page.headers += headers
        return page
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
        body{font-family:system-ui,sans-serif;background:#f5f6f8;margin:0;color:#1c1e21}
        .sandbox-banner{background:#ffe08a;color:#3d2e00;border-bottom:2px solid #c99a00;padding:.6rem 1rem;font-weight:600;text-align:center}
        main{max-width:28rem;margin:2rem auto;background:#fff;border-radius:.5rem;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
        label{display:block;margin:.75rem 0 .25rem}input,select{display:block;width:100%;padding:.5rem;box-sizing:border-box}
        button{margin-top:1rem;padding:.6rem 1.2rem}button:disabled{opacity:.6}.note{color:#555;font-size:.9rem}
        .error{color:#b00020;margin:.25rem 0 0}[aria-invalid=true]{border:2px solid #b00020}.done{color:#1b5e20}
        """

    /// A whole page: the simulator banner above the merchant's look (its CSS cannot hide the banner).
    static func document(title: String, body: String, css: String? = nil, language: String = "vi") -> String {
        // `<script` is refused in the custom CSS; `</` is neutralised so it cannot close the style element either.
        let custom = css.map { "<style>\($0.replacingOccurrences(of: "</", with: "<\\/"))</style>" } ?? ""
        let banner = "<div class=\"sandbox-banner\" role=\"note\" style=\"display:block !important;visibility:visible !important\">"
            + "\(SePayText.html(SePayWords.banner.text(language)))</div>"
        return """
            <!doctype html>
            <html lang="\(language)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(SePayText.html(title)) · SePay Bank Hub sandbox</title><style>\(baseStyle)</style>\(custom)</head>
            <body>\(banner)<main>
            \(body)
            </main></body></html>
            """
    }

    /// A page with a heading and one paragraph; a success without a redirect adds that the window can be closed.
    static func message(title: SePayWords, text: String, redirect: String? = nil, language: String, success: Bool = false) -> String {
        var body = "<h1\(success ? " class=\"done\"" : "")>\(SePayText.html(title.text(language)))</h1><p>\(SePayText.html(text))</p>"
        if let redirect {
            body += "<p><a href=\"\(SePayText.html(redirect))\">\(language == "en" ? "Continue" : "Tiếp tục")</a></p>"
        } else if success {
            body += "<p role=\"status\"><strong>\(SePayText.html(SePayWords.closeWindow.text(language)))</strong></p>"
        }
        return document(title: title.text(language), body: body, language: language)
    }

    /// The link or unlink form; each error sits under its field (`role="alert"`, the field's `aria-describedby`).
    static func form(_ view: SePayWorld.HostedView, errors: [String: SePayWords], input: [String: String]) -> String {
        let language = view.token.language
        func text(_ vi: String, _ en: String) -> String { SePayText.html(language == "en" ? en : vi) }
        func value(_ name: String) -> String { SePayText.html(input[name] ?? "") }
        /// `id`, and when the field has an error, `aria-invalid` and `aria-describedby` naming it.
        func field(_ name: String) -> String {
            "id=\"field-\(name)\" name=\"\(name)\"" + (errors[name] == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"error-\(name)\"")
        }
        func error(_ name: String) -> String {
            errors[name].map { "<p class=\"error\" id=\"error-\(name)\" role=\"alert\">\(SePayText.html($0.text(language)))</p>" } ?? ""
        }
        func label(_ name: String, _ vi: String, _ en: String) -> String { "<label for=\"field-\(name)\">\(text(vi, en))</label>" }
        let unlink = view.token.purpose == "UNLINK_BANK_ACCOUNT"
        let title = unlink
            ? SePayWords(en: "Unlink a bank account", vi: "Hủy liên kết tài khoản ngân hàng")
            : SePayWords(en: "Link a bank account", vi: "Liên kết tài khoản ngân hàng")
        var body = ""
        if let logo = view.logoURL { body += "<img src=\"\(SePayText.html(logo))\" alt=\"logo\" style=\"max-height:3rem\">" }
        body += "<h1>\(SePayText.html(title.text(language)))</h1><p>\(text("Công ty", "Company")): <strong>\(SePayText.html(view.companyName))</strong></p>"
        let fields: Set = ["bank", "account_number", "account_holder_name", "account_type", "otp"]
        for name in errors.keys.sorted() where !fields.contains(name) { body += error(name) }
        // The button is disabled once pressed; a second submission that still arrives lands on the same success page.
        body += "<form method=\"post\" action=\"/sepay/hosted/\(SePayText.html(view.token.token))/complete\" "
            + "onsubmit=\"this.querySelector('button[type=submit]').disabled=true\">"
        if unlink, let account = view.account {
            body += "<p>\(SePayText.html(account.brandName)) · \(SePayText.html(account.accountNumber)) · \(SePayText.html(account.accountHolderName))</p>"
            let otp = account.accountType == "enterprise" ? SePayWorld.enterpriseOTP : SePayWorld.individualOTP
            body += "<p class=\"note\">\(text("Sandbox: OTP là", "Sandbox: the OTP is")) \(otp)</p>"
        } else {
            let chosen = input["bank"] ?? "MBBank"
            body += label("bank", "Ngân hàng", "Bank") + "<select \(field("bank"))>"
            body += SePayWorld.sandboxBanks.map { bank in
                "<option value=\"\(bank)\"\(bank.lowercased() == chosen.lowercased() ? " selected" : "")>\(bank)</option>"
            }.joined()
            body += "</select>" + error("bank")
            body += label("account_number", "Số tài khoản", "Account number")
            body += "<input \(field("account_number")) inputmode=\"numeric\" required value=\"\(value("account_number"))\">" + error("account_number")
            body += label("account_holder_name", "Tên chủ tài khoản", "Account holder name")
            body += "<input \(field("account_holder_name")) required value=\"\(value("account_holder_name"))\">" + error("account_holder_name")
            let enterprise = input["account_type"] == "enterprise"
            body += label("account_type", "Loại tài khoản", "Account type") + "<select \(field("account_type"))>"
            body += "<option value=\"individual\"\(enterprise ? "" : " selected")>\(text("Cá nhân", "Individual"))</option>"
            body += "<option value=\"enterprise\"\(enterprise ? " selected" : "")>\(text("Doanh nghiệp", "Business"))</option></select>" + error("account_type")
            body += "<p class=\"note\">\(text("Sandbox: OTP là", "Sandbox: the OTP is")) \(SePayWorld.individualOTP) "
            body += "\(text("(doanh nghiệp:", "(business:")) \(SePayWorld.enterpriseOTP))</p>"
        }
        body += label("otp", "Mã OTP", "OTP") + "<input \(field("otp")) inputmode=\"numeric\" autocomplete=\"one-time-code\" required>" + error("otp")
        body += "<button type=\"submit\">\(unlink ? text("Hủy liên kết", "Unlink") : text("Liên kết", "Link"))</button></form>"
        return document(title: title.text(language), body: body, css: view.css, language: language)
    }
}

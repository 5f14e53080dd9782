import Foundation
import NIOHTTP1
import Sandbox
import Testing

@Suite("SePay link tokens, Hosted Link and bank accounts")
struct SePayLinkTests {
    static let validationError = #"{"code":400,"message":"Validation error","errors":null}"#

    @Test("create answers 201 with the four documented fields; hosted_link_url points at this sandbox")
    func create() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY LINK", bearer: token)
            let reply = try await sepay.linkToken(
                company: company, extra: ["completion_redirect_uri": "https://yourapp.com/success", "is_mobile_app": 0, "language": "en"],
                bearer: token)
            #expect(reply.status == 201, "\(reply.raw)")
            #expect(Set(reply.json.keys) == ["xid", "hosted_link_url", "link_token", "expires_at"])
            let linkToken = try #require(reply.json["link_token"] as? String)
            #expect(UUID(uuidString: linkToken) != nil)
            #expect(UUID(uuidString: try #require(reply.json["xid"] as? String)) != nil)
            #expect(reply.json["hosted_link_url"] as? String == "\(sepay.root)/hosted/\(linkToken)")
            #expect(reply.json["expires_at"] as? String == "2026-01-13 21:18:20")
        }
    }

    @Test(
        "create refuses bad input with the seed page's 400 Validation error, an unknown company included",
        arguments: [
            #"{"purpose":"LINK_BANK_ACCOUNT"}"#,
            #"{"company_xid":"COMPANY","purpose":"LINK"}"#,
            #"{"company_xid":"COMPANY"}"#,
            #"{"company_xid":"COMPANY","purpose":"UNLINK_BANK_ACCOUNT"}"#,
            #"{"company_xid":"COMPANY","purpose":"LINK_BANK_ACCOUNT","language":"fr"}"#,
            #"{"company_xid":"COMPANY","purpose":"LINK_BANK_ACCOUNT","is_mobile_app":2}"#,
            #"{"company_xid":"COMPANY","purpose":"LINK_BANK_ACCOUNT","completion_redirect_uri":"not a uri"}"#,
            #"{"company_xid":"d3dafd01-e06b-11f0-b29e-52c7e9b4f41b","purpose":"LINK_BANK_ACCOUNT"}"#,
            #"{"company_xid":"nonsense","purpose":"LINK_BANK_ACCOUNT"}"#,
        ])
    func createValidation(body: String) async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            let reply = try await sepay.call(.POST, "/v1/link-token/create", bearer: token, json: body.replacingOccurrences(of: "COMPANY", with: company))
            #expect(reply.status == 400, "\(reply.raw)")
            #expect(reply.isJSON(Self.validationError), "\(reply.raw)")
        }
    }

    @Test("an UNLINK for a bank account that does not exist, or is another company's, is 404")
    func unlinkUnknownAccount() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            let other = try await sepay.company("CONG TY KHAC", bearer: token)
            let account = try await sepay.linkAccount(company: other, bearer: token)
            for xid in [UUID().uuidString.lowercased(), account] {
                let reply = try await sepay.linkToken(company: company, purpose: "UNLINK_BANK_ACCOUNT", extra: ["bank_account_xid": xid], bearer: token)
                #expect(reply.status == 404, "\(reply.raw)")
                #expect(reply.isJSON(#"{"code":404,"message":"Resource not found"}"#), "\(reply.raw)")
            }
        }
    }

    @Test("the hosted page is HTML with a form for bank, account number, holder name and OTP")
    func hostedPage() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY <HTML>", bearer: token)
            _ = try await sepay.call(.POST, "/v1/merchant-config", bearer: token, json: #"{"global_hosted_link_custom_css":"h1{color:red}</style><b>"}"#)
            let created = try await sepay.linkToken(company: company, bearer: token)
            let url = try #require(created.json["hosted_link_url"] as? String)
            let linkToken = try #require(created.json["link_token"] as? String)
            let page = try await sepay.call(.GET, String(url.dropFirst(sepay.root.count)))
            #expect(page.status == 200)
            #expect(page.header("content-type") == "text/html; charset=utf-8")
            #expect(page.raw.contains("<form method=\"post\" action=\"/sepay/hosted/\(linkToken)/complete\" "))
            for field in ["name=\"bank\"", "name=\"account_number\"", "name=\"account_holder_name\"", "name=\"otp\"", "MBBank", "12345678"] {
                #expect(page.raw.contains(field), "\(field)")
            }
            #expect(page.raw.contains("CONG TY &lt;HTML&gt;"))
            #expect(page.raw.contains("h1{color:red}<\\/style><b>"))
            #expect(!page.raw.contains("</style><b>"))

            let unknown = try await sepay.call(.GET, "/hosted/\(UUID().uuidString.lowercased())")
            #expect(unknown.status == 404)
            #expect(unknown.header("content-type") == "text/html; charset=utf-8")
        }
    }

    @Test("completion in one form post links the account, redirects to completion_redirect_uri, and uses the token up")
    func completeLink() async throws {
        let clock = SePayTestClock()
        try await SePayHarness.inProcess(clock: clock) { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY TNHH ABC", bearer: token)
            let created = try await sepay.linkToken(company: company, extra: ["completion_redirect_uri": "https://yourapp.com/success"], bearer: token)
            let linkToken = try #require(created.json["link_token"] as? String)
            let linkXID = try #require(created.json["xid"] as? String)
            let opened = try await sepay.call(.GET, "/hosted/\(linkToken)")
            #expect(opened.status == 200)
            clock.advance(by: 5)

            let done = try await sepay.call(
                .POST, "/hosted/\(linkToken)/complete", form: "bank=MBBank&account_number=0123456789&account_holder_name=NGUYEN+VAN+A&otp=12345678")
            #expect(done.status == 303, "\(done.raw)")
            #expect(done.header("location") == "https://yourapp.com/success")
            #expect(done.header("content-type") == "text/html; charset=utf-8")

            let accounts = try await sepay.call(.GET, "/v1/bank-account", query: "company_xid=\(company)", bearer: token)
            #expect(accounts.status == 200)
            #expect(accounts.meta["total"] as? Int == 1)
            let account = try #require(accounts.list.first)
            #expect(Set(account.keys) == [
                "xid", "company_xid", "brand_name", "account_holder_name", "account_number", "accumulated", "account_type",
                "bank_api_connected", "active", "last_transaction", "created_at", "updated_at",
            ])
            #expect(account["company_xid"] as? String == company)
            #expect(account["brand_name"] as? String == "MBBank")
            #expect(account["account_holder_name"] as? String == "NGUYEN VAN A")
            #expect(account["account_number"] as? String == "0123456789")
            #expect(account["account_type"] as? String == "individual")
            #expect(account["bank_api_connected"] as? String == "1")
            #expect(account["active"] as? String == "1")
            #expect(SePayHarness.isTimestamp(account["created_at"]))
            let accountXID = try #require(account["xid"] as? String)

            let detail = try await sepay.call(.GET, "/v1/bank-account/\(accountXID)", bearer: token)
            #expect(detail.status == 200)
            let fields = try #require(detail.data)
            #expect(fields["account_type"] == nil)
            #expect(fields["va_list"] as? [Any] != nil && (fields["va_list"] as! [Any]).isEmpty)
            #expect(fields.keys.contains("identification_number") && fields.keys.contains("phone_number"))
            #expect(try await sepay.call(.GET, "/v1/bank-account/\(UUID().uuidString)", bearer: token).status == 404)

            // Single use: the token is no longer Active, and neither the page nor the completion works again.
            let info = try await sepay.call(.POST, "/v1/link-token/get", bearer: token, json: SePayHarness.object(["link_token": linkToken]))
            #expect(info.status == 200, "\(info.raw)")
            #expect(info.json["xid"] as? String == linkXID)
            #expect(info.json["status"] as? String == "Used")
            #expect(info.json["purpose"] as? String == "LINK_BANK_ACCOUNT")
            #expect(info.json["session_count"] as? Int == 1)
            #expect(info.json["completion_redirect_uri"] as? String == "https://yourapp.com/success")
            #expect(info.json["is_mobile_app"] as? Int == 0)
            #expect(info.json["language"] as? String == "vi")
            #expect((info.json["company"] as? [String: Any])?["xid"] as? String == company)
            #expect((info.json["company"] as? [String: Any])?["full_name"] as? String == "CONG TY TNHH ABC")
            let sessions = try #require(info.json["sessions"] as? [[String: Any]])
            #expect(sessions.count == 1)
            #expect(sessions[0]["state"] as? String == "FINISHED_BANK_ACCOUNT_LINK")
            #expect((sessions[0]["result"] as? [String: Any])?["bank_account_xid"] as? String == accountXID)
            #expect(SePayHarness.isTimestamp(sessions[0]["finished_at"]))
            let events = try #require(info.json["events"] as? [[String: Any]]).compactMap { $0["name"] as? String }
            #expect(events == [
                "LINK_TOKEN_CREATED", "LINK_SESSION_INITIALIZED", "LINK_SESSION_STATE_CHANGED", "LINK_SESSION_STATE_CHANGED",
                "LINK_SESSION_STATE_CHANGED", "BANK_ACCOUNT_LINKED", "LINK_SESSION_COMPLETED",
            ])

            let again = try await sepay.complete(linkToken, number: "9999999999")
            #expect(again.status == 410, "\(again.raw)")
            #expect((again.json["message"] as? String)?.contains("already been used") == true)
            #expect(try await sepay.call(.GET, "/hosted/\(linkToken)").status == 410)
            #expect(try await sepay.call(.GET, "/v1/bank-account", bearer: token).meta["total"] as? Int == 1)
        }
    }

    @Test("completion without a redirect answers 200 JSON; a wrong OTP or missing field is 400 and leaves the token usable")
    func completeErrors() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            let linkToken = try #require(try await sepay.linkToken(company: company, bearer: token).json["link_token"] as? String)

            let wrongOTP = try await sepay.complete(linkToken, otp: "00000000")
            #expect(wrongOTP.status == 400)
            #expect(wrongOTP.errors?["otp"] as? String == "Wrong OTP. The sandbox OTP is 12345678.")
            let missing = try await sepay.call(.POST, "/hosted/\(linkToken)/complete", json: #"{"bank":"MBBank","otp":"12345678"}"#)
            #expect(missing.status == 400)
            #expect(missing.errors?["account_number"] != nil && missing.errors?["account_holder_name"] != nil)
            let liveOnly = try await sepay.complete(linkToken, bank: "VPBank")
            #expect(liveOnly.status == 400)
            #expect((liveOnly.errors?["bank"] as? String)?.contains("production only") == true)
            let formPage = try await sepay.call(.POST, "/hosted/\(linkToken)/complete", form: "bank=ACB&account_number=12&otp=1")
            #expect(formPage.status == 400)
            #expect(formPage.header("content-type") == "text/html; charset=utf-8")
            #expect(formPage.raw.contains("Sai mã OTP"), "a vi page's errors are Vietnamese")

            let done = try await sepay.complete(linkToken, bank: "bidv")
            #expect(done.status == 200, "\(done.raw)")
            #expect(done.json["code"] as? Int == 200)
            #expect(done.data?["unlinked"] as? Bool == false)
            let xid = try #require(done.data?["bank_account_xid"] as? String)
            let detail = try #require(try await sepay.call(.GET, "/v1/bank-account/\(xid)", bearer: token).data)
            #expect(detail["brand_name"] as? String == "BIDV")
            // Failed attempts leave no trace; the completion without a page open counts as one session.
            let info = try await sepay.call(.POST, "/v1/link-token/get", bearer: token, json: SePayHarness.object(["link_token": linkToken]))
            #expect(info.json["session_count"] as? Int == 1)
            #expect((info.json["sessions"] as? [Any])?.count == 1)
            #expect((info.json["events"] as? [[String: Any]])?.compactMap { $0["name"] as? String }.filter { $0 == "LINK_SESSION_INITIALIZED" }.count == 1)

            // The same account cannot be linked twice.
            let second = try #require(try await sepay.linkToken(company: company, bearer: token).json["link_token"] as? String)
            let duplicate = try await sepay.complete(second, bank: "BIDV")
            #expect(duplicate.status == 400)
            #expect(duplicate.errors?["account_number"] != nil)
        }
    }

    @Test("an expired link token is refused by the page and the completion, and reads back as Expired")
    func expired() async throws {
        let clock = SePayTestClock()
        try await SePayHarness.inProcess(clock: clock, linkTokenTTL: 120) { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            let created = try await sepay.linkToken(company: company, bearer: token)
            #expect(created.json["expires_at"] as? String == "2026-01-13 20:50:20")
            let linkToken = try #require(created.json["link_token"] as? String)
            clock.advance(by: 119)
            #expect(try await sepay.call(.GET, "/hosted/\(linkToken)").status == 200)
            clock.advance(by: 1)
            let page = try await sepay.call(.GET, "/hosted/\(linkToken)")
            #expect(page.status == 410)
            #expect(page.raw.contains("đã hết hạn"), "a vi page's 410 is Vietnamese")
            let done = try await sepay.complete(linkToken)
            #expect(done.status == 410)
            #expect((done.json["message"] as? String)?.contains("expired") == true)
            let info = try await sepay.call(.POST, "/v1/link-token/get", bearer: token, json: SePayHarness.object(["link_token": linkToken]))
            #expect(info.json["status"] as? String == "Expired")
            #expect(try await sepay.call(.GET, "/v1/bank-account", bearer: token).list.isEmpty)
        }
    }

    @Test("revoke answers {message}; revoking again, or an unknown xid, is 404; a revoked link is refused")
    func revoke() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            let created = try await sepay.linkToken(company: company, bearer: token)
            let xid = try #require(created.json["xid"] as? String)
            let linkToken = try #require(created.json["link_token"] as? String)
            let body = SePayHarness.object(["link_token_xid": xid])
            let first = try await sepay.call(.POST, "/v1/link-token/revoke", bearer: token, json: body)
            #expect(first.status == 200)
            #expect(first.isJSON(#"{"message":"Liên kết đã được thu hồi thành công"}"#), "\(first.raw)")
            let second = try await sepay.call(.POST, "/v1/link-token/revoke", bearer: token, json: body)
            #expect(second.status == 404)
            #expect(second.isJSON(#"{"code":404,"message":"Resource not found"}"#), "\(second.raw)")
            let unknown = try await sepay.call(.POST, "/v1/link-token/revoke", bearer: token, json: SePayHarness.object(["link_token_xid": UUID().uuidString]))
            #expect(unknown.status == 404)
            #expect(try await sepay.call(.POST, "/v1/link-token/revoke", bearer: token, json: #"{"link_token_xid":"x"}"#).status == 400)
            #expect(try await sepay.call(.POST, "/v1/link-token/revoke", bearer: token, json: "{}").status == 400)
            // The token string is not the xid.
            #expect(try await sepay.call(.POST, "/v1/link-token/revoke", bearer: token, json: SePayHarness.object(["link_token_xid": linkToken])).status == 404)

            #expect(try await sepay.call(.GET, "/hosted/\(linkToken)").status == 410)
            #expect(try await sepay.complete(linkToken).status == 410)
            let info = try await sepay.call(.POST, "/v1/link-token/get", bearer: token, json: SePayHarness.object(["link_token": linkToken]))
            #expect(info.json["status"] as? String == "Revoked")
            #expect((info.json["events"] as? [[String: Any]])?.last?["name"] as? String == "LINK_TOKEN_REVOKED")
        }
    }

    @Test("link-token get takes the token string: 400 when missing or malformed, 404 for the xid or an unknown token")
    func getErrors() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            let created = try await sepay.linkToken(company: company, bearer: token)
            #expect(try await sepay.call(.POST, "/v1/link-token/get", bearer: token, json: "{}").status == 400)
            #expect(try await sepay.call(.POST, "/v1/link-token/get", bearer: token, json: #"{"link_token":"abc"}"#).status == 400)
            let byXID = try await sepay.call(
                .POST, "/v1/link-token/get", bearer: token, json: SePayHarness.object(["link_token": try #require(created.json["xid"] as? String)]))
            #expect(byXID.status == 404)
            let fresh = try await sepay.call(
                .POST, "/v1/link-token/get", bearer: token, json: SePayHarness.object(["link_token": try #require(created.json["link_token"] as? String)]))
            #expect(fresh.json["status"] as? String == "Active")
            #expect(fresh.json["session_count"] as? Int == 0)
            #expect(fresh.json["sessions"] as? [Any] != nil)
            #expect(fresh.json["completion_redirect_uri"] is NSNull)
        }
    }

    @Test("an UNLINK token completed with the OTP removes the account")
    func unlink() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            let account = try await sepay.linkAccount(company: company, bearer: token)
            let created = try await sepay.linkToken(company: company, purpose: "UNLINK_BANK_ACCOUNT", extra: ["bank_account_xid": account], bearer: token)
            #expect(created.status == 201, "\(created.raw)")
            let linkToken = try #require(created.json["link_token"] as? String)
            let page = try await sepay.call(.GET, "/hosted/\(linkToken)")
            #expect(page.raw.contains("0123456789"))
            #expect(!page.raw.contains("name=\"account_number\""))
            let done = try await sepay.call(.POST, "/hosted/\(linkToken)/complete", json: #"{"otp":"12345678"}"#)
            #expect(done.status == 200, "\(done.raw)")
            #expect(done.data?["unlinked"] as? Bool == true)
            #expect(done.data?["bank_account_xid"] as? String == account)
            #expect(try await sepay.call(.GET, "/v1/bank-account/\(account)", bearer: token).status == 404)
            #expect(try await sepay.call(.GET, "/v1/bank-account", bearer: token).list.isEmpty)
            let info = try await sepay.call(.POST, "/v1/link-token/get", bearer: token, json: SePayHarness.object(["link_token": linkToken]))
            let session = try #require((info.json["sessions"] as? [[String: Any]])?.first)
            #expect(session["state"] as? String == "FINISHED_BANK_ACCOUNT_UNLINK")
            #expect((session["result"] as? [String: Any])?["unlinked"] as? Bool == true)
        }
    }

    @Test("bank-account list: filters, limit as per_page, newest first")
    func bankAccountList() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let first = try await sepay.company("MOT", bearer: token)
            let second = try await sepay.company("HAI", bearer: token)
            let a = try await sepay.linkAccount(company: first, number: "1111111111", bearer: token)
            let b = try await sepay.linkAccount(company: second, number: "2222222222", bearer: token)
            let c = try await sepay.linkAccount(company: second, number: "3333333333", bearer: token)
            let all = try await sepay.call(.GET, "/v1/bank-account", bearer: token)
            #expect(all.list.map { $0["xid"] as? String } == [c, b, a])
            #expect(all.meta["total"] as? Int == 3)
            let limited = try await sepay.call(.GET, "/v1/bank-account", query: "limit=1&page=2", bearer: token)
            #expect(limited.list.map { $0["xid"] as? String } == [b])
            #expect(limited.meta["per_page"] as? Int == 1)
            #expect(limited.meta["has_more"] as? Bool == true)
            #expect(try await sepay.call(.GET, "/v1/bank-account", query: "company_xid=\(second)", bearer: token).list.count == 2)
            #expect(try await sepay.call(.GET, "/v1/bank-account", query: "q=2222", bearer: token).list.map { $0["xid"] as? String } == [b])
            #expect(try await sepay.call(.GET, "/v1/bank-account", query: "bank_id=MBBank", bearer: token).list.count == 3)
            #expect(try await sepay.call(.GET, "/v1/bank-account", query: "bank_id=ACB", bearer: token).list.isEmpty)
        }
    }

    @Test("sandbox transactions: create 201, list with its own meta, detail, counters")
    func transactions() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            _ = try await sepay.call(
                .POST, "/v1/company/edit/\(company)", bearer: token,
                json: #"{"payment_code":"on","payment_code_prefix":"DH","payment_code_suffix_from":3,"payment_code_suffix_to":6}"#)
            let account = try await sepay.linkAccount(company: company, bearer: token)
            let empty = try await sepay.call(.GET, "/v1/transaction", bearer: token)
            #expect(empty.status == 200)
            #expect(empty.isJSON(#"{"data":[],"meta":{"page":1,"per_page":20,"total":0,"total_pages":0}}"#), "\(empty.raw)")

            let created = try await sepay.call(
                .POST, "/v1/transaction/create", bearer: token,
                json: SePayHarness.object(["bank_account_xid": account, "transfer_type": "credit", "amount": 100000, "transaction_content": "thanh toan dh1234"]))
            #expect(created.status == 201, "\(created.raw)")
            #expect(created.json["code"] as? Int == 201)
            let data = try #require(created.data)
            #expect(data["amount"] as? Int == 100000)
            #expect(data["transfer_type"] as? String == "credit")
            let id = try #require(data["transaction_id"] as? String)
            _ = try await sepay.call(
                .POST, "/v1/transaction/create", bearer: token,
                json: SePayHarness.object(["bank_account_xid": account, "transfer_type": "debit", "amount": 5000, "transaction_content": "phi"]))

            let list = try await sepay.call(.GET, "/v1/transaction", bearer: token)
            #expect(list.list.count == 2)
            #expect(list.meta["total"] as? Int == 2)
            #expect(list.meta["total_pages"] as? Int == 1)
            let incoming = try await sepay.call(.GET, "/v1/transaction", query: "transfer_type=in", bearer: token)
            #expect(incoming.list.count == 1)
            #expect(incoming.list.first?["payment_code"] as? String == "DH1234")
            #expect(incoming.list.first?["company_xid"] as? String == company)
            let detail = try await sepay.call(.GET, "/v1/transaction/\(id)", bearer: token)
            #expect(detail.data?["transfer_type"] as? String == "in")
            #expect(detail.data?["amount"] as? Int == 100000)
            #expect(try await sepay.call(.GET, "/v1/transaction/\(UUID().uuidString)", bearer: token).status == 404)

            let counter = try await sepay.call(.GET, "/v1/company/counter/\(company)", bearer: token)
            #expect(counter.isJSON(#"{"data":{"dates":[{"date":"2026-01-13","transaction":2,"transaction_in":1,"transaction_out":1}],"total":{"transaction":2,"transaction_in":1,"transaction_out":1}}}"#), "\(counter.raw)")

            let bad = try await sepay.call(.POST, "/v1/transaction/create", bearer: token, json: #"{"transfer_type":"in","amount":0}"#)
            #expect(bad.status == 400)
            #expect(Set((bad.errors ?? [:]).keys) == ["bank_account_xid", "transfer_type", "amount", "transaction_content"])
        }
    }
}

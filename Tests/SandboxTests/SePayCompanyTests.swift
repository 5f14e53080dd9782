import Foundation
import NIOHTTP1
import Sandbox
import Testing

@Suite("SePay companies")
struct SePayCompanyTests {
    @Test("create answers 201 {code, message, data {xid, full_name}}; detail shows it with its configuration")
    func createAndDetail() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let reply = try await sepay.call(
                .POST, "/v1/company/create", bearer: token, json: #"{"full_name":"  CONG TY TNHH ABC ","status":"Active"}"#)
            #expect(reply.status == 201, "\(reply.raw)")
            #expect(reply.json["code"] as? Int == 201)
            #expect(reply.json["message"] as? String != nil)
            let data = try #require(reply.data)
            #expect(Set(data.keys) == ["xid", "full_name"])
            #expect(data["full_name"] as? String == "CONG TY TNHH ABC")
            let xid = try #require(data["xid"] as? String)
            #expect(UUID(uuidString: xid) != nil && xid == xid.lowercased())

            let detail = try await sepay.call(.GET, "/v1/company/\(xid)", bearer: token)
            #expect(detail.status == 200, "\(detail.raw)")
            let company = try #require(detail.data)
            #expect(Set(company.keys) == ["xid", "full_name", "status", "active", "configuration", "created_at", "updated_at"])
            #expect(company["status"] as? String == "Active")
            #expect(company["active"] as? String == "1")
            #expect(SePayHarness.isTimestamp(company["created_at"]))
            #expect(company["created_at"] as? String == "2026-01-13 20:48:20")
            let configuration = try #require(company["configuration"] as? [String: Any])
            #expect(Set(configuration.keys) == [
                "payment_code", "payment_code_prefix", "payment_code_suffix_from", "payment_code_suffix_to",
                "payment_code_suffix_character_type", "data_storage_time", "transaction_amount",
            ])
            #expect(configuration["payment_code"] as? String == "off")
            #expect(configuration["transaction_amount"] is NSNull)

            let pending = try await sepay.company("CONG TY PENDING", status: "Pending", bearer: token)
            let pendingDetail = try await sepay.call(.GET, "/v1/company/\(pending)", bearer: token)
            #expect(pendingDetail.data?["active"] as? String == "0")
        }
    }

    @Test(
        "create refuses a missing, blank, too long or duplicate name and a missing or unknown status with 400 Bad request",
        arguments: [
            (#"{"status":"Active"}"#, "full_name"),
            (#"{"full_name":"   ","status":"Active"}"#, "full_name"),
            (#"{"full_name":42,"status":"Active"}"#, "full_name"),
            ("{\"full_name\":\"\(String(repeating: "A", count: 201))\",\"status\":\"Active\"}", "full_name"),
            (#"{"full_name":"cong ty da co","status":"Active"}"#, "full_name"),
            (#"{"full_name":"MOI"}"#, "status"),
            (#"{"full_name":"MOI","status":"Suspended"}"#, "status"),
            (#"{"full_name":"MOI","status":"active"}"#, "status"),
            ("[1,2]", "body"),
            ("{not json", "body"),
        ])
    func createValidation(body: String, field: String) async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            _ = try await sepay.company("CONG TY DA CO", bearer: token)
            let reply = try await sepay.call(.POST, "/v1/company/create", bearer: token, json: body)
            #expect(reply.status == 400, "\(reply.raw)")
            #expect(reply.json["code"] as? Int == 400)
            #expect(reply.json["message"] as? String == "Bad request")
            #expect(reply.errors?[field] is String, "\(reply.raw)")
        }
    }

    @Test("a name of exactly 200 characters is accepted")
    func longestName() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            _ = try await sepay.company(String(repeating: "Ă", count: 200), bearer: token)
        }
    }

    @Test("list: newest first, pages with the documented meta, q and status filters")
    func list() async throws {
        let clock = SePayTestClock()
        try await SePayHarness.inProcess(clock: clock) { sepay in
            let token = try await sepay.token()
            let empty = try await sepay.call(.GET, "/v1/company", bearer: token)
            #expect(empty.status == 200)
            #expect(empty.list.isEmpty)
            #expect(empty.meta["per_page"] as? Int == 20)
            #expect(empty.meta["total"] as? Int == 0)
            #expect(empty.meta["has_more"] as? Bool == false)
            #expect(empty.meta["current_page"] as? Int == 1)
            #expect(empty.meta["page_count"] as? Int == 0)

            var xids: [String] = []
            for (name, status) in [("ALPHA SHOP", "Active"), ("BETA SHOP", "Pending"), ("GAMMA CAFE", "Active")] {
                xids.append(try await sepay.company(name, status: status, bearer: token))
            }
            let first = try await sepay.call(.GET, "/v1/company", query: "per_page=2", bearer: token)
            #expect(first.list.map { $0["xid"] as? String } == [xids[2], xids[1]])
            #expect(Set(first.list[0].keys) == ["xid", "full_name", "status", "active", "created_at", "updated_at"])
            #expect(first.meta["per_page"] as? Int == 2)
            #expect(first.meta["total"] as? Int == 3)
            #expect(first.meta["has_more"] as? Bool == true)
            #expect(first.meta["page_count"] as? Int == 2)
            let second = try await sepay.call(.GET, "/v1/company", query: "per_page=2&page=2", bearer: token)
            #expect(second.list.map { $0["xid"] as? String } == [xids[0]])
            #expect(second.meta["has_more"] as? Bool == false)
            #expect(second.meta["current_page"] as? Int == 2)
            let beyond = try await sepay.call(.GET, "/v1/company", query: "page=5", bearer: token)
            #expect(beyond.list.isEmpty)

            let shops = try await sepay.call(.GET, "/v1/company", query: "q=shop", bearer: token)
            #expect(shops.list.count == 2)
            let pending = try await sepay.call(.GET, "/v1/company", query: "status=Pending", bearer: token)
            #expect(pending.list.map { $0["full_name"] as? String } == ["BETA SHOP"])
            let ascending = try await sepay.call(.GET, "/v1/company", query: "sort%5Bcreated_at%5D=asc", bearer: token)
            #expect(ascending.list.map { $0["xid"] as? String } == xids)

            for query in ["per_page=101", "per_page=0", "page=0", "page=x", "status=Gone"] {
                let bad = try await sepay.call(.GET, "/v1/company", query: query, bearer: token)
                #expect(bad.status == 400, "\(query)")
                #expect(bad.json["message"] as? String == "Bad request")
            }
            #expect(try await sepay.call(.GET, "/v1/company", query: "per_page=100", bearer: token).status == 200)
        }
    }

    @Test("detail, edit and counter are 404 for an unknown or malformed id")
    func notFound() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            for id in [UUID().uuidString.lowercased(), "not-a-uuid", "123"] {
                for (method, path) in [(HTTPMethod.GET, "/v1/company/\(id)"), (.POST, "/v1/company/edit/\(id)"), (.GET, "/v1/company/counter/\(id)")] {
                    let reply = try await sepay.call(method, path, bearer: token, json: method == .POST ? #"{"status":"Active"}"# : nil)
                    #expect(reply.status == 404, "\(path)")
                    #expect(reply.isJSON(#"{"code":404,"message":"Resource not found"}"#), "\(reply.raw)")
                }
            }
        }
    }

    @Test("edit is partial: only the fields sent change, and updated_at moves")
    func edit() async throws {
        let clock = SePayTestClock()
        try await SePayHarness.inProcess(clock: clock) { sepay in
            let token = try await sepay.token()
            let xid = try await sepay.company("CONG TY EDIT", bearer: token)
            clock.advance(by: 60)
            let reply = try await sepay.call(.POST, "/v1/company/edit/\(xid)", bearer: token, json: #"{"status":"Pending"}"#)
            #expect(reply.status == 200, "\(reply.raw)")
            #expect(Set(reply.json.keys) == ["code", "message"])
            #expect(reply.json["code"] as? Int == 200)
            #expect(reply.json["message"] as? String == "Đã cập nhật thông tin công ty (tổ chức) thành công.")
            var detail = try #require(try await sepay.call(.GET, "/v1/company/\(xid)", bearer: token).data)
            #expect(detail["full_name"] as? String == "CONG TY EDIT")
            #expect(detail["status"] as? String == "Pending")
            #expect(detail["active"] as? String == "0")
            #expect(detail["updated_at"] as? String != detail["created_at"] as? String)

            let configuration = #"""
                {"full_name":"CONG TY EDITED","short_name":"EDIT","payment_code":"on","payment_code_prefix":"dh",
                 "payment_code_suffix_from":4,"payment_code_suffix_to":8,"payment_code_suffix_character_type":"NumberOnly",
                 "transaction_amount":"Unlimited"}
                """#
            #expect(try await sepay.call(.POST, "/v1/company/edit/\(xid)", bearer: token, json: configuration).status == 200)
            detail = try #require(try await sepay.call(.GET, "/v1/company/\(xid)", bearer: token).data)
            #expect(detail["full_name"] as? String == "CONG TY EDITED")
            #expect(detail["short_name"] == nil)
            #expect(detail["status"] as? String == "Pending")
            var config = try #require(detail["configuration"] as? [String: Any])
            #expect(config["payment_code"] as? String == "on")
            #expect(config["payment_code_prefix"] as? String == "DH")
            #expect(config["payment_code_suffix_from"] as? Int == 4)
            #expect(config["payment_code_suffix_to"] as? Int == 8)
            #expect(config["payment_code_suffix_character_type"] as? String == "NumberOnly")
            #expect(config["transaction_amount"] as? String == "Unlimited")

            #expect(try await sepay.call(.POST, "/v1/company/edit/\(xid)", bearer: token, json: #"{"transaction_amount":500000}"#).status == 200)
            config = try #require(try await sepay.call(.GET, "/v1/company/\(xid)", bearer: token).data?["configuration"] as? [String: Any])
            #expect(config["transaction_amount"] as? String == "500000")
            #expect(config["payment_code_prefix"] as? String == "DH")
            #expect(try await sepay.call(.POST, "/v1/company/edit/\(xid)", bearer: token, json: #"{"transaction_amount":null}"#).status == 200)
            config = try #require(try await sepay.call(.GET, "/v1/company/\(xid)", bearer: token).data?["configuration"] as? [String: Any])
            #expect(config["transaction_amount"] is NSNull)
            // An empty edit changes nothing and succeeds.
            #expect(try await sepay.call(.POST, "/v1/company/edit/\(xid)", bearer: token, json: "{}").status == 200)
        }
    }

    @Test(
        "edit refuses invalid fields with 400 naming each",
        arguments: [
            (#"{"full_name":""}"#, "full_name"),
            (#"{"full_name":"OTHER CO"}"#, "full_name"),
            (#"{"status":"Cancelled"}"#, "status"),
            (#"{"payment_code":"yes"}"#, "payment_code"),
            (#"{"payment_code_prefix":"D"}"#, "payment_code_prefix"),
            (#"{"payment_code_prefix":"DH123"}"#, "payment_code_prefix"),
            (#"{"payment_code_suffix_from":0}"#, "payment_code_suffix_from"),
            (#"{"payment_code_suffix_to":31}"#, "payment_code_suffix_to"),
            (#"{"payment_code_suffix_from":6,"payment_code_suffix_to":5}"#, "payment_code_suffix_to"),
            (#"{"payment_code_suffix_character_type":"Letters"}"#, "payment_code_suffix_character_type"),
            (#"{"transaction_amount":-1}"#, "transaction_amount"),
            (#"{"transaction_amount":"lots"}"#, "transaction_amount"),
            (#"{"transaction_amount":1.5}"#, "transaction_amount"),
        ])
    func editValidation(body: String, field: String) async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            _ = try await sepay.company("OTHER CO", bearer: token)
            let xid = try await sepay.company("THIS CO", bearer: token)
            let reply = try await sepay.call(.POST, "/v1/company/edit/\(xid)", bearer: token, json: body)
            #expect(reply.status == 400, "\(reply.raw)")
            #expect(reply.errors?[field] is String, "\(reply.raw)")
            // Nothing changed.
            let detail = try #require(try await sepay.call(.GET, "/v1/company/\(xid)", bearer: token).data)
            #expect(detail["full_name"] as? String == "THIS CO")
            #expect(detail["updated_at"] as? String == detail["created_at"] as? String)
        }
    }

    @Test("renaming a company to its own name, in another case, is allowed")
    func renameSelf() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let xid = try await sepay.company("Cong Ty", bearer: token)
            #expect(try await sepay.call(.POST, "/v1/company/edit/\(xid)", bearer: token, json: #"{"full_name":"CONG TY"}"#).status == 200)
        }
    }

    @Test("counter: empty dates and zero totals without activity; a bad date is 400")
    func counter() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let xid = try await sepay.company("COUNTED", bearer: token)
            let reply = try await sepay.call(.GET, "/v1/company/counter/\(xid)", bearer: token)
            #expect(reply.status == 200)
            #expect(reply.isJSON(#"{"data":{"dates":[],"total":{"transaction":0,"transaction_in":0,"transaction_out":0}}}"#), "\(reply.raw)")
            #expect(try await sepay.call(.GET, "/v1/company/counter/\(xid)", query: "date=2024-01-01", bearer: token).status == 200)
            #expect(try await sepay.call(.GET, "/v1/company/counter/\(xid)", query: "date=2024-02-30", bearer: token).status == 400)
        }
    }
}

import Foundation
import NIOHTTP1
import Testing

@testable import Sandbox

@Suite("Finan routes")
struct FinanRoutesTests {
    static let listKeys: Set<String> = [
        "account_id", "account_number", "account_name", "bank_code", "qr_code", "balance", "currency", "status", "created_at",
    ]

    @Test("masking keeps the first and last four characters")
    func masking() {
        #expect(FinanSimulator.mask("0933450210") == "0933XX0210")
        #expect(FinanSimulator.mask("123456785678") == "1234XXXX5678")
        #expect(FinanSimulator.mask("VQRQAHZKN0048") == "VQRQXXXXX0048")
        #expect(FinanSimulator.mask("12345678") == "12345678")
        #expect(FinanSimulator.mask("123456789") == "1234X6789")
    }

    @Test("master list: the default master, masked, in the documented envelope")
    func listMasters() async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts")
            #expect(reply.status == 200)
            #expect(reply.code == 102000)
            #expect(reply.content == "Thực thi API thành công")
            #expect(reply.message["params"] as? [Any] != nil && (reply.message["params"] as? [Any])!.isEmpty)
            #expect(reply.error == nil)
            #expect(reply.headers.first(name: "content-type") == "application/json; charset=utf-8")
            let requestID = try #require(reply.json["request_id"] as? String)
            #expect(requestID.wholeMatch(of: /[0-9a-f]{32}/) != nil)
            #expect(reply.headers.first(name: "x-request-id") == requestID)

            let items = try #require(reply.dataArray)
            #expect(items.count == 1)
            let master = try #require(items.first)
            #expect(Set(master.keys) == Self.listKeys)
            #expect(master["account_id"] as? String == FinanHarness.masterID)
            #expect(master["account_number"] as? String == "0933XX0210")
            #expect(master["account_name"] as? String == "CONG TY SANDBOX")
            #expect(master["bank_code"] as? String == "MB")
            #expect(master["qr_code"] as? String == "https://sandbox.finan.one/qr/\(FinanHarness.masterID)")
            #expect(master["balance"] as? Int == 0)
            #expect(reply.raw.contains(#""balance":0"#))
            #expect(master["currency"] as? String == "VND")
            #expect(master["status"] as? String == "active")
            #expect(master["created_at"] as? String == "2024-01-15T10:30:00Z")
        }
    }

    @Test("request ids are fresh per request")
    func freshRequestIDs() async throws {
        try await FinanHarness.inProcess { sandbox in
            let first = try await sandbox.call(.GET, "/api/v1/master-bank-accounts")
            let second = try await sandbox.call(.GET, "/api/v1/master-bank-accounts")
            #expect(first.json["request_id"] as? String != second.json["request_id"] as? String)
        }
    }

    @Test(
        "master list filters: id, account_id alias, full account_number, ANDed; no match is an empty list",
        arguments: [
            ("id=3c919ce1-b310-47ae-9727-f9323ac4fba7", 1),
            ("account_id=3c919ce1-b310-47ae-9727-f9323ac4fba7", 1),
            ("account_number=0933450210", 1),
            ("id=3c919ce1-b310-47ae-9727-f9323ac4fba7&account_number=0933450210", 1),
            ("account_number=0933450210&id=3c919ce1-b310-47ae-9727-f9323ac4fba7", 1),
            ("account_number=0933XX0210", 0),
            ("id=3c919ce1-b310-47ae-9727-f9323ac4fba7&account_number=0000000000", 0),
            ("id=00000000-0000-0000-0000-000000000000", 0),
        ])
    func filterMasters(query: String, count: Int) async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", query: query)
            #expect(reply.status == 200, "\(reply.raw)")
            #expect(reply.code == 102000)
            let items = try #require(reply.dataArray, "\(reply.raw)")
            #expect(items.count == count)
            if count == 1 { #expect(items[0]["account_id"] as? String == FinanHarness.masterID) }
        }
    }

    @Test("the query is signed exactly as sent: a re-ordered query in the signature is rejected")
    func queryIsSignedRaw() async throws {
        try await FinanHarness.inProcess { sandbox in
            let signature = TestSigner.signature(
                secret: FinanHarness.secret, method: "GET",
                path: "/api/v1/master-bank-accounts?id=\(FinanHarness.masterID)&account_number=0933450210",
                payload: "", timestamp: FinanHarness.timestamp)
            let reply = try await sandbox.call(
                .GET, "/api/v1/master-bank-accounts", query: "account_number=0933450210&id=\(FinanHarness.masterID)",
                signature: signature)
            #expect(reply.status == 401)
            #expect(reply.error == "Invalid signature")
        }
    }

    @Test("create, then list and get by id show the same account, masked")
    func createListGet() async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(
                .POST, "/api/v1/bank-accounts", body: #"{"master_account_id":"\#(FinanHarness.masterID)","account_name":"  KE TOAN "}"#)
            #expect(reply.status == 200, "\(reply.raw)")
            #expect(reply.code == 102001)
            #expect(reply.content == "Thực thi API thành công")
            let created = try #require(reply.dataObject, "\(reply.raw)")
            #expect(Set(created.keys) == ["bank_code", "account_id", "account_name", "account_number", "currency_code", "master_account_name"])
            #expect(created["bank_code"] as? String == "MB")
            #expect(created["account_name"] as? String == "KE TOAN")
            #expect(created["currency_code"] as? String == "704")
            #expect(created["master_account_name"] as? String == "CONG TY SANDBOX")
            let id = try #require(created["account_id"] as? String)
            #expect(UUID(uuidString: id) != nil && id == id.lowercased())
            let number = try #require(created["account_number"] as? String)
            #expect(number.wholeMatch(of: /VQR[A-Z]{6}[0-9]{4}/) != nil)
            let masked = FinanSimulator.mask(number)
            #expect(masked != number)

            let list = try await sandbox.call(.GET, "/api/v1/bank-accounts")
            #expect(list.status == 200)
            #expect(list.code == 102000)
            let items = try #require(list.dataArray)
            #expect(items.count == 1)
            #expect(Set(items[0].keys) == Self.listKeys)
            #expect(items[0]["account_id"] as? String == id)
            #expect(items[0]["account_number"] as? String == masked)
            #expect(items[0]["account_name"] as? String == "KE TOAN")
            #expect(items[0]["bank_code"] as? String == "MB")
            #expect(items[0]["qr_code"] as? String == "https://sandbox.finan.one/qr/\(id)")
            #expect(items[0]["created_at"] as? String == "2023-11-14T22:13:20Z")

            let byNumber = try await sandbox.call(.GET, "/api/v1/bank-accounts", query: "account_number=\(number)")
            #expect(byNumber.dataArray?.count == 1)
            let byMasked = try await sandbox.call(.GET, "/api/v1/bank-accounts", query: "account_number=\(masked)")
            #expect(byMasked.dataArray?.count == 0)
            let byID = try await sandbox.call(.GET, "/api/v1/bank-accounts", query: "id=\(id)")
            #expect(byID.dataArray?.count == 1)
            let byOtherID = try await sandbox.call(.GET, "/api/v1/bank-accounts", query: "id=\(UUID().uuidString.lowercased())")
            #expect(byOtherID.status == 200)
            #expect(byOtherID.dataArray?.count == 0)

            let one = try await sandbox.call(.GET, "/api/v1/bank-accounts/\(id)")
            #expect(one.status == 200)
            #expect(one.code == 102000)
            let account = try #require(one.dataObject, "\(one.raw)")
            #expect(Set(account.keys) == Self.listKeys)
            #expect(account["account_number"] as? String == masked)
            #expect(account["account_name"] as? String == "KE TOAN")
        }
    }

    @Test("account numbers are unique across creates")
    func uniqueNumbers() async throws {
        try await FinanHarness.inProcess { sandbox in
            let first = try await sandbox.create("KE TOAN")
            let second = try await sandbox.create("THU NGAN")
            #expect(first["account_number"] as? String != second["account_number"] as? String)
            #expect(first["account_id"] as? String != second["account_id"] as? String)
        }
    }

    @Test("a pretty-printed body verifies against the signature of its compact form, not its raw bytes")
    func prettyBodyIsCompactedBeforeVerifying() async throws {
        try await FinanHarness.inProcess { sandbox in
            let pretty = "{\n  \"master_account_id\": \"\(FinanHarness.masterID)\",\n  \"account_name\": \"KE  TOAN\"\n}"
            let compact = #"{"master_account_id":"\#(FinanHarness.masterID)","account_name":"KE  TOAN"}"#
            let rejected = try await sandbox.call(.POST, "/api/v1/bank-accounts", body: pretty)
            #expect(rejected.status == 401)
            #expect(rejected.error == "Invalid signature")
            let accepted = try await sandbox.call(.POST, "/api/v1/bank-accounts", body: pretty, signedPayload: compact)
            #expect(accepted.status == 200, "\(accepted.raw)")
            #expect(accepted.dataObject?["account_name"] as? String == "KE  TOAN")
        }
    }

    @Test("x-locale: en switches the message content to English")
    func englishLocale() async throws {
        try await FinanHarness.inProcess { sandbox in
            let ok = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", headers: [("x-locale", "en")])
            #expect(ok.content == "API executed successfully")
            let failed = try await sandbox.call(.GET, "/api/v1/bank-accounts/nope", headers: [("x-locale", "en")])
            #expect(failed.content == "Invalid request")
        }
    }

    @Test("an unknown endpoint is 404 with code 104004, naming method and path")
    func unknownEndpoint() async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(.GET, "/api/v1/payments")
            #expect(reply.status == 404)
            #expect(reply.code == 104004)
            #expect(reply.error == "No such endpoint: GET /api/v1/payments")
            #expect(reply.content == "Yêu cầu không hợp lệ")
            #expect(reply.json["data"] == nil)
            let delete = try await sandbox.call(.DELETE, "/api/v1/bank-accounts/x", contentType: nil)
            #expect(delete.status == 404)
            #expect(delete.error == "No such endpoint: DELETE /api/v1/bank-accounts/x")
            for path in ["/", "/api/v1/bank-accounts/", "/api/v1//bank-accounts", "/api/v1/bank-accounts/x/y"] {
                let reply = try await sandbox.call(.GET, path)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.error == "No such endpoint: GET \(path)")
            }
            let put = try await sandbox.call(.PUT, "/api/v1/bank-accounts/x", body: "{}")
            #expect(put.status == 404)
            #expect(put.error == "No such endpoint: PUT /api/v1/bank-accounts/x")
        }
    }
}

@Suite("Finan create errors")
struct FinanCreateErrorTests {
    @Test("a body that is not a JSON object is 400, code 104000", arguments: ["not json", "[1,2]", #""text""#])
    func badBody(body: String) async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(.POST, "/api/v1/bank-accounts", body: body)
            #expect(reply.status == 400)
            #expect(reply.code == 104000)
            #expect(reply.error?.hasPrefix("Invalid request body: ") == true, "\(reply.raw)")
            #expect(reply.content == "Yêu cầu không hợp lệ")
            #expect(reply.json["data"] == nil)
        }
    }

    @Test("a Content-Type other than application/json is 400; a charset parameter is fine")
    func contentType() async throws {
        try await FinanHarness.inProcess { sandbox in
            let body = #"{"master_account_id":"\#(FinanHarness.masterID)","account_name":"KE TOAN"}"#
            for contentType in ["text/plain", nil] {
                let reply = try await sandbox.call(.POST, "/api/v1/bank-accounts", body: body, contentType: contentType)
                #expect(reply.status == 400)
                #expect(reply.code == 104000)
                #expect(reply.error == "Content-Type must be application/json")
            }
            let accepted = try await sandbox.call(.POST, "/api/v1/bank-accounts", body: body, contentType: "application/json; charset=utf-8")
            #expect(accepted.status == 200, "\(accepted.raw)")
        }
    }

    @Test("an unknown master is 404 with code 104000 and the documented message")
    func unknownMaster() async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(
                .POST, "/api/v1/bank-accounts", body: #"{"master_account_id":"00000000-0000-0000-0000-000000000000","account_name":"KE TOAN"}"#)
            #expect(reply.status == 404)
            #expect(reply.code == 104000)
            #expect(reply.error == "Master account does not exist")
            #expect(reply.json["data"] == nil)
        }
    }

    @Test("a blank account_name is 422 naming the field")
    func blankName() async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(
                .POST, "/api/v1/bank-accounts", body: #"{"master_account_id":"\#(FinanHarness.masterID)","account_name":"  "}"#)
            #expect(reply.status == 422)
            #expect(reply.code == 104000)
            #expect(reply.error == "account_name is required")
        }
    }

    @Test("every failing field is named: missing, wrong type")
    func everyFieldNamed() async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(.POST, "/api/v1/bank-accounts", body: #"{"master_account_id":42}"#)
            #expect(reply.status == 422)
            #expect(reply.code == 104000)
            #expect(reply.error == "master_account_id must be a string; account_name is required")
            let null = try await sandbox.call(.POST, "/api/v1/bank-accounts", body: #"{"master_account_id":null,"account_name":"A"}"#)
            #expect(null.status == 422)
            #expect(null.error == "master_account_id is required")
        }
    }

    @Test("validation runs before the master lookup")
    func validationBeforeLookup() async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(
                .POST, "/api/v1/bank-accounts", body: #"{"master_account_id":"00000000-0000-0000-0000-000000000000","account_name":""}"#)
            #expect(reply.status == 422)
        }
    }

    @Test("the same name under the same master, after normalising case and spaces, is 400 / 224016")
    func duplicate() async throws {
        try await FinanHarness.inProcess { sandbox in
            _ = try await sandbox.create("KE TOAN")
            let reply = try await sandbox.call(
                .POST, "/api/v1/bank-accounts", body: #"{"master_account_id":"\#(FinanHarness.masterID)","account_name":" ke   Toan "}"#)
            #expect(reply.status == 400)
            #expect(reply.code == 224016)
            #expect(reply.error == "Bank account already exists")
            let list = try await sandbox.call(.GET, "/api/v1/bank-accounts")
            #expect(list.dataArray?.count == 1)
        }
    }

    @Test("an unknown bank account id is 404 / 104004")
    func unknownAccount() async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(.GET, "/api/v1/bank-accounts/\(UUID().uuidString.lowercased())")
            #expect(reply.status == 404)
            #expect(reply.code == 104004)
            #expect(reply.error == "Bank account does not exist")
            #expect(reply.json["data"] == nil)
        }
    }
}

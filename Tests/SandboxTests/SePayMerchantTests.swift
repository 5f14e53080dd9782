import Foundation
import NIOHTTP1
import Sandbox
import Testing

@Suite("SePay merchant config and webhook config")
struct SePayMerchantTests {
    @Test("merchant config: defaults, then partial updates that keep what is not sent")
    func merchantConfig() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let initial = try await sepay.call(.GET, "/v1/merchant-config", bearer: token)
            #expect(initial.status == 200)
            #expect(initial.isJSON(#"{"data":{"global_hosted_link_custom_css":null,"logo_url":null,"transaction_whitelist_remark_keywords":[]}}"#), "\(initial.raw)")

            let keywords = try await sepay.call(
                .POST, "/v1/merchant-config", bearer: token, json: #"{"transaction_whitelist_remark_keywords":["DH","THANH TOAN"]}"#)
            #expect(keywords.status == 200, "\(keywords.raw)")
            #expect(keywords.data?["transaction_whitelist_remark_keywords"] as? [String] == ["DH", "THANH TOAN"])
            let css = try await sepay.call(
                .POST, "/v1/merchant-config", bearer: token, json: #"{"global_hosted_link_custom_css":"body { color: #123456; }"}"#)
            #expect(css.status == 200)
            let after = try #require(try await sepay.call(.GET, "/v1/merchant-config", bearer: token).data)
            #expect(after["transaction_whitelist_remark_keywords"] as? [String] == ["DH", "THANH TOAN"])
            #expect(after["global_hosted_link_custom_css"] as? String == "body { color: #123456; }")
            let cleared = try await sepay.call(.POST, "/v1/merchant-config", bearer: token, json: #"{"transaction_whitelist_remark_keywords":[]}"#)
            #expect(cleared.data?["transaction_whitelist_remark_keywords"] as? [String] == [])
            #expect(cleared.data?["global_hosted_link_custom_css"] as? String == "body { color: #123456; }")
        }
    }

    @Test(
        "merchant config refuses script in the CSS and keywords that are not an array of strings",
        arguments: [
            (#"{"global_hosted_link_custom_css":"body{} <SCRIPT>alert(1)</script>"}"#, "global_hosted_link_custom_css"),
            (#"{"global_hosted_link_custom_css":42}"#, "global_hosted_link_custom_css"),
            (#"{"transaction_whitelist_remark_keywords":"DH"}"#, "transaction_whitelist_remark_keywords"),
            (#"{"transaction_whitelist_remark_keywords":null}"#, "transaction_whitelist_remark_keywords"),
            (#"{"transaction_whitelist_remark_keywords":["DH",1]}"#, "transaction_whitelist_remark_keywords"),
        ])
    func merchantConfigValidation(body: String, field: String) async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let reply = try await sepay.call(.POST, "/v1/merchant-config", bearer: token, json: body)
            #expect(reply.status == 400, "\(reply.raw)")
            #expect(reply.json["message"] as? String == "Bad request")
            #expect(reply.errors?[field] is String)
            let unchanged = try await sepay.call(.GET, "/v1/merchant-config", bearer: token)
            #expect(unchanged.data?["global_hosted_link_custom_css"] is NSNull)
        }
    }

    @Test("logo upload: a small PNG is stored and served at logo_url; a mismatched type is 400, over 1 MB 413")
    func logo() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 32)
            func upload(_ bytes: [UInt8], filename: String, type: String) async throws -> SePayReply {
                let boundary = "sandbox-boundary-42"
                var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
                body += bytes + Array("\r\n--\(boundary)--\r\n".utf8)
                return try await sepay.send(
                    .POST, "/v1/merchant-config/logo", bearer: token, contentType: "multipart/form-data; boundary=\(boundary)", body: body)
            }
            let stored = try await upload(png, filename: "logo.png", type: "image/png")
            #expect(stored.status == 200, "\(stored.raw)")
            let url = try #require(stored.data?["logo_url"] as? String)
            #expect(url.hasPrefix(sepay.root + "/logos/sandbox-client-id-") && url.hasSuffix(".png"))
            let served = try await sepay.call(.GET, String(url.dropFirst(sepay.root.count)))
            #expect(served.status == 200)
            #expect(served.body == png)
            #expect(try await sepay.call(.GET, "/v1/merchant-config", bearer: token).data?["logo_url"] as? String == url)

            #expect(try await upload(png, filename: "logo.jpg", type: "image/jpeg").status == 400)
            #expect(try await upload(png, filename: "logo.gif", type: "image/gif").status == 400)
            let large = try await upload(png + Array(repeating: 0, count: 1_048_577), filename: "logo.png", type: "image/png")
            #expect(large.status == 413)
            let none = try await sepay.call(.POST, "/v1/merchant-config/logo", bearer: token, json: "{}")
            #expect(none.status == 400)
        }
    }

    @Test("webhook: null before it is configured; upsert returns the full secret once, GET masks it")
    func webhookUpsert() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let empty = try await sepay.call(.GET, "/v1/webhook", bearer: token)
            #expect(empty.status == 200)
            #expect(Set(empty.json.keys) == ["status", "error", "messages", "data"])
            #expect(empty.json["status"] as? Int == 200)
            #expect(empty.json["data"] is NSNull)

            let created = try await sepay.call(
                .POST, "/v1/webhook", bearer: token,
                json: #"{"webhook_url":"https://hooks.example.com/sepay","auth_type":"SECRET_KEY","secret_key":"my-secret-5678","active":1,"allow_events":["*"]}"#)
            #expect(created.status == 200, "\(created.raw)")
            #expect(created.json["status"] as? Int == 200)
            let messages = try #require(created.json["messages"] as? [String: Any])
            #expect((messages["success"] as? [String])?.isEmpty == false)
            #expect(messages["error"] as? [String] == [])
            let data = try #require(created.data)
            #expect(data["secret_key"] as? String == "my-secret-5678")
            #expect(data["request_content_type"] as? String == "application/json")

            let read = try #require(try await sepay.call(.GET, "/v1/webhook", bearer: token).data)
            #expect(read["webhook_url"] as? String == "https://hooks.example.com/sepay")
            #expect(read["auth_type"] as? String == "SECRET_KEY")
            #expect(read["secret_key"] as? String == "***5678")
            #expect(read["active"] as? Int == 1)
            #expect(read["allow_events"] as? [String] == ["*"])

            // Partial update: only active changes.
            #expect(try await sepay.call(.POST, "/v1/webhook", bearer: token, json: #"{"active":0}"#).status == 200)
            let disabled = try #require(try await sepay.call(.GET, "/v1/webhook", bearer: token).data)
            #expect(disabled["active"] as? Int == 0)
            #expect(disabled["webhook_url"] as? String == "https://hooks.example.com/sepay")
            #expect(disabled["secret_key"] as? String == "***5678")

            let none = try await sepay.call(.POST, "/v1/webhook", bearer: token, json: #"{"allow_events":null}"#)
            #expect(none.data?["allow_events"] as? [String] == [])
            let some = try await sepay.call(
                .POST, "/v1/webhook", bearer: token, json: #"{"allow_events":["BANK_ACCOUNT_LINKED","BANK_ACCOUNT_INACTIVED"]}"#)
            #expect(some.status == 200, "\(some.raw)")
            #expect(some.data?["allow_events"] as? [String] == ["BANK_ACCOUNT_LINKED", "BANK_ACCOUNT_INACTIVED"])
        }
    }

    @Test("webhook: a first upsert without webhook_url is 400, and without a secret one is generated")
    func webhookCreateRules() async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let missing = try await sepay.call(.POST, "/v1/webhook", bearer: token, json: #"{"active":1}"#)
            #expect(missing.status == 400)
            #expect(missing.json["status"] as? Int == 400)
            #expect(missing.json["data"] is NSNull)
            #expect(((missing.json["messages"] as? [String: Any])?["error"] as? [String])?.isEmpty == false)
            let created = try await sepay.call(.POST, "/v1/webhook", bearer: token, json: #"{"webhook_url":"http://127.0.0.1:9/hook"}"#)
            #expect(created.status == 200, "\(created.raw)")
            let secret = try #require(created.data?["secret_key"] as? String)
            #expect(secret.count == 32)
            #expect(created.data?["allow_events"] as? [String] == ["*"])
            #expect(created.data?["active"] as? Int == 1)
        }
    }

    @Test(
        "webhook: refuses non-HTTPS public URLs, private addresses, unknown events and bad fields with 400",
        arguments: [
            #"{"webhook_url":"http://hooks.example.com/sepay"}"#,
            #"{"webhook_url":"https://10.0.0.5/hook"}"#,
            #"{"webhook_url":"https://192.168.1.20/hook"}"#,
            #"{"webhook_url":"https://172.20.0.1/hook"}"#,
            #"{"webhook_url":"https://169.254.169.254/latest"}"#,
            #"{"webhook_url":"https://[fd00::1]/hook"}"#,
            #"{"webhook_url":"https://intranet/hook"}"#,
            #"{"webhook_url":"ftp://hooks.example.com/"}"#,
            #"{"webhook_url":"not a url"}"#,
            #"{"webhook_url":"https://hooks.example.com/x","allow_events":["LINK_TOKEN_CREATED","NOT_AN_EVENT"]}"#,
            #"{"webhook_url":"https://hooks.example.com/x","allow_events":"*"}"#,
            #"{"webhook_url":"https://hooks.example.com/x","auth_type":"BASIC"}"#,
            #"{"webhook_url":"https://hooks.example.com/x","active":2}"#,
            #"{"webhook_url":"https://hooks.example.com/x","secret_key":""}"#,
        ])
    func webhookValidation(body: String) async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let reply = try await sepay.call(.POST, "/v1/webhook", bearer: token, json: body)
            #expect(reply.status == 400, "\(reply.raw)")
            #expect(reply.json["status"] as? Int == 400)
            #expect(reply.json["error"] is String)
            #expect(try await sepay.call(.GET, "/v1/webhook", bearer: token).json["data"] is NSNull)
        }
    }

    @Test("webhook: loopback URLs are accepted over http in the sandbox", arguments: [
        "http://127.0.0.1:8080/hook", "http://localhost:3000/hook", "http://[::1]:3000/hook", "https://127.0.0.1/hook",
    ])
    func webhookLoopback(url: String) async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let reply = try await sepay.call(.POST, "/v1/webhook", bearer: token, json: SePayHarness.object(["webhook_url": url, "secret_key": "s3cr3t-key"]))
            #expect(reply.status == 200, "\(reply.raw)")
        }
    }
}

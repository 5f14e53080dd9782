import Foundation
import NIOHTTP1
import Sandbox
import Testing

@Suite("SePay persistence and seeds")
struct SePayPersistenceTests {
    @Test("companies, webhook, merchant config, link tokens and accounts survive a restart; access tokens do not")
    func restart() async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (oldToken, company, account, linkToken) = try await SePayHarness.with(directory: folder) { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY BEN VUNG", bearer: token)
            _ = try await sepay.call(.POST, "/v1/company/edit/\(company)", bearer: token, json: #"{"transaction_amount":"Unlimited"}"#)
            _ = try await sepay.call(
                .POST, "/v1/webhook", bearer: token, json: #"{"webhook_url":"https://hooks.example.com/a","secret_key":"persisted-1234","active":0}"#)
            _ = try await sepay.call(.POST, "/v1/merchant-config", bearer: token, json: #"{"transaction_whitelist_remark_keywords":["DH"]}"#)
            let account = try await sepay.linkAccount(company: company, bearer: token)
            let pending = try #require(try await sepay.linkToken(company: company, bearer: token).json["link_token"] as? String)
            return (token, company, account, pending)
        }
        let file = folder.appendingPathComponent("sepay.json")
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) is [String: Any])
        #expect(try !String(contentsOf: file, encoding: .utf8).contains(oldToken))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasSuffix(".tmp") })

        try await SePayHarness.with(directory: folder) { sepay in
            #expect(try await sepay.call(.GET, "/v1/company", bearer: oldToken).status == 401)
            let token = try await sepay.token()
            let detail = try #require(try await sepay.call(.GET, "/v1/company/\(company)", bearer: token).data)
            #expect(detail["full_name"] as? String == "CONG TY BEN VUNG")
            #expect((detail["configuration"] as? [String: Any])?["transaction_amount"] as? String == "Unlimited")
            let webhook = try #require(try await sepay.call(.GET, "/v1/webhook", bearer: token).data)
            #expect(webhook["secret_key"] as? String == "***1234")
            #expect(webhook["active"] as? Int == 0)
            #expect(try await sepay.call(.GET, "/v1/merchant-config", bearer: token).data?["transaction_whitelist_remark_keywords"] as? [String] == ["DH"])
            #expect(try await sepay.call(.GET, "/v1/bank-account/\(account)", bearer: token).status == 200)
            // The pending link token still works after the restart.
            #expect(try await sepay.complete(linkToken, number: "5555666677").status == 200)
            #expect(try await sepay.call(.GET, "/v1/bank-account", bearer: token).meta["total"] as? Int == 2)
            // Duplicate detection uses the persisted companies.
            let duplicate = try await sepay.call(.POST, "/v1/company/create", bearer: token, json: #"{"full_name":"cong ty ben vung","status":"Active"}"#)
            #expect(duplicate.status == 400)
        }
    }

    @Test("a seed's sepay clients replace the default client; a persisted world wins over a later seed")
    func seed() async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seed = folder.appendingPathComponent("seed.json")
        try Data(#"{"sepay":{"clients":[{"client_id":"acme","client_secret":"acme-secret"}]}}"#.utf8).write(to: seed)
        let data = folder.appendingPathComponent("data")
        try await SePayHarness.with(directory: data, seed: seed.path) { sepay in
            let defaults = try await sepay.call(
                .POST, "/v1/token", headers: [("Authorization", SePayHarness.basic(SePayHarness.clientID, SePayHarness.clientSecret))])
            #expect(defaults.status == 401)
            _ = try await sepay.token(id: "acme", secret: "acme-secret")
        }
        try Data(#"{"sepay":{"clients":[{"client_id":"other","client_secret":"x"}]}}"#.utf8).write(to: seed)
        try await SePayHarness.with(directory: data, seed: seed.path) { sepay in
            _ = try await sepay.token(id: "acme", secret: "acme-secret")
        }
        // A seed naming only finan keeps the SePay defaults.
        let finanOnly = folder.appendingPathComponent("finan-only.json")
        try Data(#"{"finan":{"clients":[],"master_accounts":[]}}"#.utf8).write(to: finanOnly)
        try await SePayHarness.with(seed: finanOnly.path) { sepay in
            _ = try await sepay.token()
        }
    }

    @Test(
        "an invalid sepay seed section is an error naming the file and the problem",
        arguments: [
            (#"{"sepay":{"clients":[{"client_id":"a"}]}}"#, "client_secret"),
            (#"{"sepay":{"clients":[{"client_id":"a","client_secret":"s","secret_key":"k"}]}}"#, "secret_key"),
            (#"{"sepay":{"clients":[{"client_id":"a","client_secret":"1"},{"client_id":"a","client_secret":"2"}]}}"#, "appears twice"),
            (#"{"sepay":{"clients":[{"client_id":"a:b","client_secret":"1"}]}}"#, "client_id"),
            (#"{"sepay":{"companies":[]}}"#, "companies"),
            (#"{"sepay":[]}"#, "sepay"),
        ])
    func invalidSeed(text: String, problem: String) async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seed = folder.appendingPathComponent("seed.json")
        try Data(text.utf8).write(to: seed)
        let error = await #expect(throws: SandboxError.self) {
            let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: folder.appendingPathComponent("data").path, seedFile: seed.path))
            await sandbox.stop()
        }
        let description = try #require(error).description
        #expect(description.contains(seed.path))
        #expect(description.contains(problem), "\(description)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/sepay.json").path))
    }
}

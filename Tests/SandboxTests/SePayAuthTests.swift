import Foundation
import NIOHTTP1
import Sandbox
import Testing

@Suite("SePay tokens and authentication")
struct SePayAuthTests {
    @Test("POST /v1/token with Basic credentials answers 201 with a 40-hex token and the ttl in seconds")
    func issue() async throws {
        try await SePayHarness.inProcess { sepay in
            let basic = SePayHarness.basic(SePayHarness.clientID, SePayHarness.clientSecret)
            let reply = try await sepay.call(.POST, "/v1/token", headers: [("Authorization", basic)])
            #expect(reply.status == 201, "\(reply.raw)")
            #expect(Set(reply.json.keys) == ["code", "access_token", "ttl"])
            #expect(reply.json["code"] as? Int == 201)
            #expect(reply.json["ttl"] as? Int == 60000)
            let token = try #require(reply.json["access_token"] as? String)
            #expect(token.wholeMatch(of: /[0-9a-f]{40}/) != nil)
            #expect(reply.header("content-type")?.hasPrefix("application/json") == true)

            // A JSON or form body is accepted and ignored.
            let json = try await sepay.call(.POST, "/v1/token", json: "{}", headers: [("Authorization", basic)])
            #expect(json.status == 201)
            let form = try await sepay.call(.POST, "/v1/token", form: "grant_type=client_credentials", headers: [("Authorization", basic)])
            #expect(form.status == 201)
            #expect(form.json["access_token"] as? String != token)

            // Both tokens work.
            for bearer in [token, try #require(form.json["access_token"] as? String)] {
                #expect(try await sepay.call(.GET, "/v1/company", bearer: bearer).status == 200)
            }
        }
    }

    @Test("wrong or missing Basic credentials are 401 Unauthenticated")
    func badCredentials() async throws {
        try await SePayHarness.inProcess { sepay in
            for authorization in [
                nil, SePayHarness.basic(SePayHarness.clientID, "wrong"), SePayHarness.basic("nobody", SePayHarness.clientSecret),
                "Basic not-base64!", "Bearer " + String(repeating: "a", count: 40),
                "Basic " + Data("no-colon".utf8).base64EncodedString(),
            ] {
                let reply = try await sepay.call(.POST, "/v1/token", headers: authorization.map { [("Authorization", $0)] } ?? [])
                #expect(reply.status == 401, "\(String(describing: authorization))")
                #expect(reply.isJSON(#"{"code":401,"message":"Unauthenticated"}"#), "\(reply.raw)")
            }
        }
    }

    @Test("a missing, unknown or malformed bearer token is 401")
    func badBearer() async throws {
        try await SePayHarness.inProcess { sepay in
            let missing = try await sepay.call(.GET, "/v1/company")
            #expect(missing.status == 401)
            #expect(missing.json["message"] as? String == "Unauthenticated")
            let unknown = try await sepay.call(.GET, "/v1/company", bearer: String(repeating: "0", count: 40))
            #expect(unknown.status == 401)
            let basic = try await sepay.call(
                .GET, "/v1/webhook", headers: [("Authorization", SePayHarness.basic(SePayHarness.clientID, SePayHarness.clientSecret))])
            #expect(basic.status == 401)
            let token = try await sepay.token()
            let lowerScheme = try await sepay.call(.GET, "/v1/company", headers: [("Authorization", "bearer \(token)")])
            #expect(lowerScheme.status == 200)
        }
    }

    @Test("a token expires after its ttl on the sandbox clock")
    func expiry() async throws {
        let clock = SePayTestClock()
        try await SePayHarness.inProcess(clock: clock, tokenTTL: 2) { sepay in
            let reply = try await sepay.call(
                .POST, "/v1/token", headers: [("Authorization", SePayHarness.basic(SePayHarness.clientID, SePayHarness.clientSecret))])
            #expect(reply.json["ttl"] as? Int == 2)
            let token = try #require(reply.json["access_token"] as? String)
            #expect(try await sepay.call(.GET, "/v1/company", bearer: token).status == 200)
            clock.advance(by: 1)
            #expect(try await sepay.call(.GET, "/v1/company", bearer: token).status == 200)
            clock.advance(by: 1)
            let expired = try await sepay.call(.GET, "/v1/company", bearer: token)
            #expect(expired.status == 401)
            #expect(expired.isJSON(#"{"code":401,"message":"Unauthenticated"}"#), "\(expired.raw)")
            // A new token works at once.
            #expect(try await sepay.call(.GET, "/v1/company", bearer: try await sepay.token()).status == 200)
        }
    }

    @Test("unknown paths are 404 and known paths with the wrong method 405, before authentication")
    func routing() async throws {
        try await SePayHarness.inProcess { sepay in
            let unknown = try await sepay.call(.GET, "/v1/nothing")
            #expect(unknown.status == 404)
            #expect(unknown.isJSON(#"{"code":404,"message":"Resource not found"}"#), "\(unknown.raw)")
            let wrongMethod = try await sepay.call(.GET, "/v1/token")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("allow") == "POST")
            let delete = try await sepay.call(.DELETE, "/v1/webhook")
            #expect(delete.status == 405)
            #expect(delete.header("allow") == "GET, POST")
        }
    }

    @Test("tokens belong to their client: another merchant sees none of this one's companies")
    func merchants() async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seed = folder.appendingPathComponent("seed.json")
        try Data(#"{"sepay":{"clients":[{"client_id":"a","client_secret":"sa"},{"client_id":"b","client_secret":"sb"}]}}"#.utf8).write(to: seed)
        try await SePayHarness.inProcess(directory: folder.appendingPathComponent("data"), seed: seed.path) { sepay in
            let first = try await sepay.token(id: "a", secret: "sa")
            let second = try await sepay.token(id: "b", secret: "sb")
            let company = try await sepay.company("CONG TY A", bearer: first)
            #expect(try await sepay.call(.GET, "/v1/company/\(company)", bearer: second).status == 404)
            #expect(try await sepay.call(.GET, "/v1/company", bearer: second).meta["total"] as? Int == 0)
            // The same name is fine for another merchant.
            _ = try await sepay.company("CONG TY A", bearer: second)
            let defaults = try await sepay.call(
                .POST, "/v1/token", headers: [("Authorization", SePayHarness.basic(SePayHarness.clientID, SePayHarness.clientSecret))])
            #expect(defaults.status == 401)
        }
    }
}

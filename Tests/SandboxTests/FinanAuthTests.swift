import Foundation
import NIOHTTP1
import Sandbox
import Testing

@Suite("Finan authentication")
struct FinanAuthTests {
    static func expectUnauthorized(_ reply: FinanReply, _ error: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == 401, "\(reply.raw)", sourceLocation: sourceLocation)
        #expect(reply.code == 104000, sourceLocation: sourceLocation)
        #expect(reply.error == error, sourceLocation: sourceLocation)
        #expect(reply.content == "Yêu cầu không hợp lệ", sourceLocation: sourceLocation)
        #expect(reply.json["data"] == nil, sourceLocation: sourceLocation)
        #expect((reply.json["request_id"] as? String)?.count == 32, sourceLocation: sourceLocation)
    }

    @Test("a missing auth header is 401 naming the header", arguments: ["x-client-id", "x-timestamp", "x-signature"])
    func missingHeader(header: String) async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", omit: header)
            Self.expectUnauthorized(reply, "Missing header \(header)")
        }
    }

    @Test("auth is checked before routing and before body validation")
    func authFirst() async throws {
        try await FinanHarness.inProcess { sandbox in
            let unknownRoute = try await sandbox.call(.GET, "/api/v1/payments", omit: "x-signature")
            Self.expectUnauthorized(unknownRoute, "Missing header x-signature")
            let badBody = try await sandbox.call(.POST, "/api/v1/bank-accounts", body: "nope", contentType: "text/plain", omit: "x-client-id")
            Self.expectUnauthorized(badBody, "Missing header x-client-id")
        }
    }

    @Test("a wrong signature is 401 Invalid signature")
    func badSignature() async throws {
        try await FinanHarness.inProcess { sandbox in
            let wrongSecret = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", secret: "not-the-secret")
            Self.expectUnauthorized(wrongSecret, "Invalid signature")
            let hmacLooking = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", signature: String(repeating: "0", count: 64))
            Self.expectUnauthorized(hmacLooking, "Invalid signature")
            let prefixed = TestSigner.signature(
                secret: FinanHarness.secret, method: "GET", path: "/finan/open/api/v1/master-bank-accounts", payload: "",
                timestamp: FinanHarness.timestamp)
            let withMount = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", signature: prefixed)
            Self.expectUnauthorized(withMount, "Invalid signature")
        }
    }

    @Test("the signature is accepted in upper case")
    func upperCaseSignature() async throws {
        try await FinanHarness.inProcess { sandbox in
            let signature = TestSigner.signature(
                secret: FinanHarness.secret, method: "GET", path: "/api/v1/master-bank-accounts", payload: "",
                timestamp: FinanHarness.timestamp)
            let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", signature: signature.uppercased())
            #expect(reply.status == 200, "\(reply.raw)")
        }
    }

    @Test("a timestamp more than 30 s away from server time is 401; exactly 30 s is accepted")
    func staleTimestamp() async throws {
        try await FinanHarness.inProcess { sandbox in
            let now = FinanHarness.serverTime
            for offset in [-31, 31, -3600] {
                let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", timestamp: String(now + offset))
                Self.expectUnauthorized(reply, "Timestamp outside the 30-second window (server time \(now))")
            }
            for extreme in [Int.min, Int.max] {
                let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", timestamp: String(extreme))
                Self.expectUnauthorized(reply, "Timestamp outside the 30-second window (server time \(now))")
            }
            for offset in [-30, 30] {
                let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", timestamp: String(now + offset))
                #expect(reply.status == 200, "\(reply.raw)")
            }
        }
    }

    @Test("a timestamp that is not Unix seconds is 401", arguments: ["abc", "1700000000.5", "1700000000000x"])
    func invalidTimestamp(timestamp: String) async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", timestamp: timestamp)
            Self.expectUnauthorized(reply, "Invalid x-timestamp: must be Unix seconds")
        }
    }

    @Test("the clock is injectable: a request signed for the real time fails against a clock an hour ahead")
    func injectableClock() async throws {
        try await FinanHarness.inProcess(serverTime: FinanHarness.serverTime + 3600) { sandbox in
            let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts")
            Self.expectUnauthorized(reply, "Timestamp outside the 30-second window (server time \(FinanHarness.serverTime + 3600))")
            let current = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", timestamp: String(FinanHarness.serverTime + 3600))
            #expect(current.status == 200)
        }
    }

    @Test("an unknown client id is 401")
    func unknownClient() async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", client: "someone-else")
            Self.expectUnauthorized(reply, "Unknown client id")
        }
    }
}

import Foundation
import NIOHTTP1
import Sandbox
import Testing

@Suite("SePay webhook events", .timeLimit(.minutes(1)))
struct SePayWebhookTests {
    static func configure(_ sepay: SePayHarness, url: String, token: String, events: [String] = ["*"], active: Int = 1) async throws {
        let reply = try await sepay.call(
            .POST, "/v1/webhook", bearer: token,
            json: SePayHarness.object([
                "webhook_url": url, "auth_type": "SECRET_KEY", "secret_key": "whsec-sandbox-5678", "active": active, "allow_events": events,
            ]))
        #expect(reply.status == 200, "\(reply.raw)")
    }

    @Test("the receiver gets LINK_TOKEN_CREATED, the session events and BANK_ACCOUNT_LINKED, each with X-Secret-Key")
    func linkEvents() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        try await SePayHarness.with { sepay in
            let token = try await sepay.token()
            try await Self.configure(sepay, url: receiver.url, token: token)
            let company = try await sepay.company("CONG TY WEBHOOK", bearer: token)
            let created = try await sepay.linkToken(company: company, bearer: token)
            let linkXID = try #require(created.json["xid"] as? String)
            let linkToken = try #require(created.json["link_token"] as? String)

            let first = await sepay.sandbox.waitForSePayWebhookDeliveries(count: 1)
            #expect(first.map(\.event) == ["LINK_TOKEN_CREATED"])
            #expect(first.first?.status == 200)
            #expect(first.first?.attempts == 1)
            let tokenCreated = try #require(await receiver.received.items.first)
            #expect(tokenCreated.secret == "whsec-sandbox-5678")
            #expect(tokenCreated.contentType == "application/json")
            #expect(Set(tokenCreated.json.keys) == ["timestamp", "xid", "version", "event", "metadata"])
            #expect(tokenCreated.json["version"] as? String == "1.0")
            #expect(tokenCreated.json["timestamp"] as? Int == 1_768_312_100)
            #expect(UUID(uuidString: tokenCreated.json["xid"] as? String ?? "") != nil)
            #expect(tokenCreated.metadata["purpose"] as? String == "LINK_BANK_ACCOUNT")
            #expect(tokenCreated.metadata["link_token_xid"] as? String == linkXID)
            #expect(tokenCreated.metadata["link_session_xid"] is NSNull)

            let done = try await sepay.complete(linkToken)
            let accountXID = try #require(done.data?["bank_account_xid"] as? String)
            let all = await sepay.sandbox.waitForSePayWebhookDeliveries(count: 7)
            #expect(all.allSatisfy { $0.status == 200 })
            let received = await receiver.received.items
            #expect(received.allSatisfy { $0.secret == "whsec-sandbox-5678" })
            #expect(received.compactMap(\.event) == [
                "LINK_TOKEN_CREATED", "LINK_SESSION_INITIALIZED", "LINK_SESSION_STATE_CHANGED", "LINK_SESSION_STATE_CHANGED",
                "LINK_SESSION_STATE_CHANGED", "BANK_ACCOUNT_LINKED", "LINK_SESSION_COMPLETED",
            ])
            #expect(Set(received.compactMap { $0.json["xid"] as? String }).count == 7)
            let session = try #require(received[1].metadata["link_session_xid"] as? String)
            #expect(received[1].metadata["link_token_xid"] as? String == linkXID)

            let states = received.filter { $0.event == "LINK_SESSION_STATE_CHANGED" }
            #expect(states.compactMap { $0.metadata["state"] as? String } == [
                "REQUEST_BANK_ACCOUNT_LINK", "CONFIRM_BANK_ACCOUNT_LINK", "FINISHED_BANK_ACCOUNT_LINK",
            ])
            #expect(states[0].metadata["account_number"] == nil && states[0].metadata["account_holder_name"] == nil)
            #expect(states[0].metadata["brand_name"] as? String == "MBBank")
            #expect(states[1].metadata["account_holder_name"] as? String == "NGUYEN VAN A")

            let linked = try #require(received.first { $0.event == "BANK_ACCOUNT_LINKED" })
            #expect(linked.metadata["bank_account_xid"] as? String == accountXID)
            #expect(linked.metadata["brand_name"] as? String == "MBBank")
            #expect(linked.metadata["account_type"] as? String == "individual")
            #expect(linked.metadata["account_number"] as? String == "0123456789")
            #expect(linked.metadata["link_token_xid"] as? String == linkXID)
            #expect(linked.metadata["link_session_xid"] as? String == session)

            let completed = try #require(received.last)
            #expect(completed.metadata["bank_account_xid"] as? String == accountXID)
            #expect(completed.metadata["unlinked"] == nil)

            // The events of link-token/get are the same events, with the same xids.
            let info = try await sepay.call(.POST, "/v1/link-token/get", bearer: token, json: SePayHarness.object(["link_token": linkToken]))
            let recorded = try #require(info.json["events"] as? [[String: Any]]).compactMap { $0["xid"] as? String }
            #expect(recorded == received.compactMap { $0.json["xid"] as? String })
        }
    }

    @Test("unlink sends BANK_ACCOUNT_UNLINKED and LINK_SESSION_COMPLETED{unlinked:true}; revoke sends LINK_TOKEN_REVOKED")
    func unlinkAndRevokeEvents() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        try await SePayHarness.with { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            let account = try await sepay.linkAccount(company: company, bearer: token)
            try await Self.configure(sepay, url: receiver.url, token: token)
            let created = try await sepay.linkToken(company: company, purpose: "UNLINK_BANK_ACCOUNT", extra: ["bank_account_xid": account], bearer: token)
            let linkToken = try #require(created.json["link_token"] as? String)
            #expect(try await sepay.call(.POST, "/hosted/\(linkToken)/complete", form: "otp=12345678").status == 200)
            let spare = try await sepay.linkToken(company: company, bearer: token)
            let spareXID = try #require(spare.json["xid"] as? String)
            #expect(try await sepay.call(.POST, "/v1/link-token/revoke", bearer: token, json: SePayHarness.object(["link_token_xid": spareXID])).status == 200)
            await sepay.sandbox.waitForSePayWebhooksIdle()

            let received = await receiver.received.items
            let names = received.compactMap(\.event)
            #expect(names.sorted() == [
                "BANK_ACCOUNT_UNLINKED", "LINK_SESSION_COMPLETED", "LINK_SESSION_STATE_CHANGED", "LINK_TOKEN_CREATED", "LINK_TOKEN_CREATED",
                "LINK_TOKEN_REVOKED",
            ])
            let state = try #require(received.first { $0.event == "LINK_SESSION_STATE_CHANGED" })
            #expect(state.metadata["state"] as? String == "REQUEST_BANK_ACCOUNT_UNLINK")
            #expect(state.metadata["account_holder_name"] == nil)
            let unlinked = try #require(received.first { $0.event == "BANK_ACCOUNT_UNLINKED" })
            #expect(unlinked.metadata["bank_account_xid"] as? String == account)
            let completed = try #require(received.first { $0.event == "LINK_SESSION_COMPLETED" })
            #expect(completed.metadata["unlinked"] as? Bool == true)
            let revoked = try #require(received.first { $0.event == "LINK_TOKEN_REVOKED" })
            #expect(revoked.metadata["link_token_xid"] as? String == spareXID)
        }
    }

    @Test("allow_events filters what is sent, and an inactive webhook sends nothing")
    func filtering() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        try await SePayHarness.with { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            try await Self.configure(sepay, url: receiver.url, token: token, events: ["BANK_ACCOUNT_LINKED"])
            _ = try await sepay.linkAccount(company: company, number: "1111111111", bearer: token)
            await sepay.sandbox.waitForSePayWebhooksIdle()
            #expect(await receiver.received.items.compactMap(\.event) == ["BANK_ACCOUNT_LINKED"])

            try await Self.configure(sepay, url: receiver.url, token: token, events: [], active: 1)
            _ = try await sepay.linkAccount(company: company, number: "2222222222", bearer: token)
            try await Self.configure(sepay, url: receiver.url, token: token, events: ["*"], active: 0)
            _ = try await sepay.linkAccount(company: company, number: "3333333333", bearer: token)
            await sepay.sandbox.waitForSePayWebhooksIdle()
            #expect(await receiver.received.items.count == 1)
            #expect(await sepay.sandbox.sepayWebhookDeliveries().count == 1)
        }
    }

    @Test("a receiver that cannot be reached is retried 7 times; one that answers an error is not retried")
    func retries() async throws {
        let gone = try await WebhookReceiver.start()
        await gone.stop()
        try await SePayHarness.with { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            try await Self.configure(sepay, url: gone.url, token: token, events: ["LINK_TOKEN_CREATED"])
            _ = try await sepay.linkToken(company: company, bearer: token)
            let failed = try #require(await sepay.sandbox.waitForSePayWebhookDeliveries(count: 1).first)
            #expect(failed.status == nil)
            #expect(failed.attempts == 8)
            #expect(failed.error != nil)
        }
        let failing = try await WebhookReceiver.start(status: .internalServerError)
        defer { Task { await failing.stop() } }
        try await SePayHarness.with { sepay in
            let token = try await sepay.token()
            let company = try await sepay.company("CONG TY", bearer: token)
            try await Self.configure(sepay, url: failing.url, token: token, events: ["LINK_TOKEN_CREATED"])
            _ = try await sepay.linkToken(company: company, bearer: token)
            let answered = try #require(await sepay.sandbox.waitForSePayWebhookDeliveries(count: 1).first)
            #expect(answered.status == 500)
            #expect(answered.attempts == 1)
            #expect(await failing.received.items.count == 1)
        }
    }
}

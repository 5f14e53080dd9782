import Crypto
import Foundation
import NIOCore
import Testing
import _CryptoExtras

/// The VietinBank simulator on its own: the gateway, signatures and request ids, the OAuth server.
@Suite("VietinBank simulator")
struct VietinSimulatorTests {
    static func inquiry(_ requestID: String, tamper: (String, String)? = nil) throws -> String {
        try VietinHarness.signedBody(
            [("requestId", requestID), ("providerId", "SBX"), ("merchantId", "SBX001"), ("account", "108000123456")], tamper: tamper)
    }

    @Test func theGatewayRefusesUnknownCredentialsAndUnsubscribedApplicationsWithItsEnvelope() async throws {
        try await VietinHarness.with { vtb in
            let unknown = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: "{}")
            #expect(unknown.status == 401)
            #expect(unknown.isJSON(#"{"httpCode":"401","httpMessage":"Unauthorized","moreInformation":"Invalid client id or secret."}"#), "\(unknown.raw)")
            try await vtb.register()
            let unsubscribed = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: "{}")
            #expect(unsubscribed.status == 401)
            #expect(unsubscribed.json["moreInformation"] as? String == "Client id not registered.")
            try await vtb.subscribe("erp-statement")
            let through = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: "{}")
            #expect(through.status == 200)
            #expect((through.json["status"] as? [String: Any])?["code"] as? String == "02", "an empty body is a business error, never executed")
            let unknownPath = try await vtb.call(.POST, "/erp/v9/nothing", json: "{}")
            #expect(unknownPath.status == 404 && unknownPath.json["httpCode"] as? String == "404")
        }
    }

    @Test func aPlanLimitAnswers429WithRetryAfter() async throws {
        try await VietinHarness.with { vtb in
            try await vtb.register()
            try await vtb.subscribe("erp-statement", plan: "Burst")
            #expect(try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: "{}").status == 200)
            let limited = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: "{}")
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "1")
            vtb.clock.advance(by: 1)
            #expect(try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: "{}").status == 200)
        }
    }

    @Test func signaturesAreCheckedTamperingIs01AndAReusedRequestIDIs07() async throws {
        try await VietinHarness.with { vtb in
            try await vtb.register()
            try await vtb.subscribe("erp-statement")
            let good = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: try Self.inquiry("REQ-0001"))
            let status = { (reply: SePayReply) in (reply.json["status"] as? [String: Any])?["code"] as? String }
            #expect(status(good) == "1", "\(good.raw)")
            let bank = try _RSA.Signing.PublicKey(pemRepresentation: try await vtb.bankCertificate())
            let signed = try #require(good.json["signature"] as? String)
            let text = "REQ-0001SBXSBX0011"
            #expect(bank.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: try #require(Data(base64Encoded: signed))), for: SHA256.hash(data: Data(text.utf8)),
                padding: .insecurePKCS1v1_5), "the answer is signed over requestId, providerId, merchantId, status.code")

            let tampered = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: try Self.inquiry("REQ-0002", tamper: ("account", "999")))
            #expect(status(tampered) == "01", "\(tampered.raw)")
            let reused = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: try Self.inquiry("REQ-0001"))
            #expect(status(reused) == "07", "\(reused.raw)")
        }
    }

    @Test func aStatementInquiryAnswersTheReferencesStatementForARegisteredAccountOnly() async throws {
        try await VietinHarness.with { vtb in
            try await vtb.register()
            try await vtb.subscribe("erp-statement")
            let status = { (reply: SePayReply) in (reply.json["status"] as? [String: Any])?["code"] as? String }
            let ids = [("providerId", "SBX"), ("merchantId", "SBX001")]
            let body = { (id: String, account: String, extra: [(String, String)]) in
                try VietinHarness.signedBody([("requestId", id)] + ids + [("account", account)] + extra, signing: ["requestId", "providerId", "merchantId", "account"])
            }
            let statement = try await vtb.call(
                .POST, "/erp/v1/statement/inquiry", json: try body("REQ-S1", "108000123456", [("fromDate", "01/02/2024"), ("toDate", "01/02/2024")]))
            #expect(status(statement) == "1", "\(statement.raw)")
            #expect(statement.json["curency"] as? String == "VND" && statement.json["openningBal"] as? String == "10000000", "\(statement.raw)")
            let lines = try #require(statement.json["transactions"] as? [[String: String]])
            #expect(lines == [["transactionDate": "01-02-2024 14:06:34", "debit": "", "credit": "875800", "remark": "CT DEN:164T24200GKAJ7BY CK"]])

            let unknown = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: try body("REQ-S2", "999999", []))
            #expect(status(unknown) == "03" && unknown.json["transactions"] == nil, "\(unknown.raw)")
            let noAccount = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: try body("REQ-S3", "", []))
            #expect(status(noAccount) == "02", "\(noAccount.raw)")
            let badDate = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: try body("REQ-S4", "108000123456", [("fromDate", "2024-02-01")]))
            #expect(status(badDate) == "02", "\(badDate.raw)")
        }
    }

    @Test func aSHA1PartnerIsCheckedAndAnsweredWithSHA1Only() async throws {
        try await VietinHarness.with { vtb in
            try await vtb.register()
            try await vtb.subscribe("erp-statement")
            let pem = try VietinHarness.partnerKey().publicKey.pemRepresentation
            let added = try await vtb.call(.POST, "/sandbox/partners", json: SePayHarness.object([
                "provider_id": "LEG", "merchant_id": "LEG01", "public_key": pem, "signature_hash": "SHA1",
                "accounts": [["account": "1", "currency": "VND", "opening_balance": "0", "transactions": [] as [Any]]],
            ]), gateway: nil)
            #expect(added.status == 201, "\(added.raw)")
            let fields = [("requestId", "REQ-L1"), ("providerId", "LEG"), ("merchantId", "LEG01"), ("account", "1")]
            let sha256 = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: try VietinHarness.signedBody(fields))
            #expect((sha256.json["status"] as? [String: Any])?["code"] as? String == "01", "a SHA-1 partner's request is checked with SHA-1 only")
            let sha1 = try await vtb.call(.POST, "/erp/v1/statement/inquiry", json: try VietinHarness.signedBody(
                fields.map { $0.0 == "requestId" ? ($0.0, "REQ-L2") : $0 }, sha1: true))
            #expect((sha1.json["status"] as? [String: Any])?["code"] as? String == "1", "\(sha1.raw)")
            let bank = try _RSA.Signing.PublicKey(pemRepresentation: try await vtb.bankCertificate())
            let signed = try #require(sha1.json["signature"] as? String)
            let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(Data(base64Encoded: signed)))
            let text = Data("REQ-L2LEGLEG011".utf8)
            #expect(bank.isValidSignature(signature, for: Insecure.SHA1.hash(data: text), padding: .insecurePKCS1v1_5), "answered with the partner's hash")
            #expect(!bank.isValidSignature(signature, for: SHA256.hash(data: text), padding: .insecurePKCS1v1_5))
        }
    }

    @Test func codesAreSingleUseAndRefreshTokensRotate() async throws {
        try await VietinHarness.with { vtb in
            try await vtb.register(callback: "https://app.example.com/cb")
            let verifier = "verifier-0123456789-0123456789-0123456789"
            let challenge = Self.challenge(of: verifier)
            let query = "response_type=code&client_id=\(VietinHarness.clientID)&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=statement&state=s1&code_challenge=\(challenge)&code_challenge_method=S256"
            let page = try await vtb.call(.GET, "/oauth2/authorize?" + query, gateway: nil)
            let approve = try #require(page.json["approve"] as? String, "\(page.raw)")
            let decided = try await vtb.call(.POST, approve, gateway: nil)
            #expect(decided.status == 302)
            let location = try #require(decided.header("Location"))
            #expect(location.hasPrefix("https://app.example.com/cb?code=") && location.hasSuffix("&state=s1"))
            let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
            let exchange = "grant_type=authorization_code&code=\(code)&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&code_verifier=\(verifier)"
            let issued = try await vtb.call(.POST, "/oauth2/token", form: exchange)
            #expect(issued.status == 200, "\(issued.raw)")
            let again = try await vtb.call(.POST, "/oauth2/token", form: exchange)
            #expect(again.status == 400 && again.json["error"] as? String == "invalid_grant")
            let refresh = try #require(issued.json["refresh_token"] as? String)
            let rotated = try await vtb.call(.POST, "/oauth2/token", form: "grant_type=refresh_token&refresh_token=\(refresh)")
            #expect(rotated.status == 200 && rotated.json["refresh_token"] as? String != refresh)
            let reused = try await vtb.call(.POST, "/oauth2/token", form: "grant_type=refresh_token&refresh_token=\(refresh)")
            #expect(reused.status == 400, "a refresh token is single use")
            let wrongVerifier = try await vtb.call(.POST, "/oauth2/token", form: "grant_type=authorization_code&code=nope&code_verifier=x")
            #expect(wrongVerifier.status == 400)
        }
    }
    @Test func theConsentPageIsMarkedSimulatedAndARepeatedDecisionGetsTheSameRedirect() async throws {
        try await VietinHarness.with { vtb in
            try await vtb.register(callback: "https://app.example.com/cb")
            let challenge = Self.challenge(of: "verifier-0123456789-0123456789-0123456789")
            let query = "response_type=code&client_id=\(VietinHarness.clientID)&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=statement&state=s1&code_challenge=\(challenge)&code_challenge_method=S256"
            let html = try await vtb.transport.send(.GET, vtb.target("/oauth2/authorize?" + query), headers: [("Accept", "text/html")], body: nil)
            let page = String(buffer: html.body)
            #expect(html.status == 200)
            #expect(page.contains("<div class=\"sandbox-banner\" role=\"note\">MÔI TRƯỜNG THỬ NGHIỆM · SANDBOX"), "\(page)")
            #expect(page.contains("Application <strong>acme-erp</strong> asks for your consent to <strong>statement</strong>."), "\(page)")
            #expect(page.contains("onsubmit=\"this.querySelector('button').disabled=true\""))

            let consent = try await vtb.call(.GET, "/oauth2/authorize?" + query, gateway: nil)
            let approve = try #require(consent.json["approve"] as? String, "\(consent.raw)")
            let first = try await vtb.call(.POST, approve, gateway: nil)
            let second = try await vtb.call(.POST, approve, gateway: nil)
            #expect(first.status == 302 && second.status == 302)
            #expect(first.header("Location") != nil && first.header("Location") == second.header("Location"), "a double-click lands where the first did")
            let deny = try #require(consent.json["deny"] as? String)
            let late = try await vtb.call(.POST, deny, gateway: nil)
            #expect(late.status == 409 && (late.json["error"] as? String)?.contains("already approved") == true, "\(late.raw)")
        }
    }

    /// PKCE S256: `BASE64URL(SHA256(verifier))`.
    static func challenge(of verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

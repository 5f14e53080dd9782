@testable import Banks
import Foundation
import PlanModel
import Reconciler
import Testing
import _CryptoExtras

/// The VietinBank client against recorded answers: headers, signed bodies, answer signatures and error envelopes.
@Suite("VietinBank iConnect: client")
struct VietinBankClientTests {
    static let address = ResourceAddress(instance: "vtb", kind: "statement_push", name: "main")

    func provider(_ transport: RecordingTransport, certificate: Bool = true) throws -> BankProvider {
        let pem = try vietinBankTestKeyPEM()
        var settings: [String: Value] = [
            "client_id": .string("app-1"), "client_secret": .sensitive(Sensitive("app-secret-1")), "provider_id": .string("SBX"),
            "merchant_id": .string("SBX001"), "private_key": .sensitive(Sensitive(pem)),
        ]
        if certificate {
            settings["bank_certificate"] = .string(try _RSA.Signing.PrivateKey(pemRepresentation: pem).publicKey.pemRepresentation)
        }
        return try #require(try VietinBankIConnect.bank.provider(name: "vtb", baseURL: "https://vtb.test/base", settings: settings, wire: transport))
    }

    func push() -> Resource {
        Resource(
            address: Self.address, providerType: "vietinbank-iconnect", capability: .managed,
            attributes: ["account": .string("108000123456"), "notify_type": .string("FILE"), "cron": .string("0 0 * * *")],
            location: SourceLocation(file: "b.yaml", line: 1, column: 1))
    }

    func apply(_ provider: BankProvider) async throws -> AppliedResource {
        try await provider.apply(Change(address: Self.address, action: .create), resource: push(), context: ApplyContext(remoteIDs: [:]))
    }

    /// An answer to `call` signed with the test key over requestId, providerId, merchantId and `signedCode`.
    static func answer(to call: HTTPCall, code: String = "1", signedCode: String = "1") throws -> HTTPReply {
        let request = try #require(try JSONSerialization.jsonObject(with: Data(call.body ?? [])) as? [String: Any])
        let ids = ["requestId", "providerId", "merchantId"].map { request[$0] as? String ?? "" }
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: vietinBankTestKeyPEM())
        let signature = try VietinBankSignature.sign(ids.joined() + signedCode, key: key, hash: .sha256)
        let body: [String: Any] = [
            "requestId": ids[0], "providerId": ids[1], "merchantId": ids[2], "status": ["code": code, "message": "Success"], "signature": signature,
        ]
        return HTTPReply(status: 200, headers: [], body: Array(try JSONSerialization.data(withJSONObject: body)))
    }

    @Test func aPushIsSentSignedWithTheGatewayHeadersAndItsSignedAnswerIsAccepted() async throws {
        let transport = RecordingTransport { try Self.answer(to: $0) }
        let applied = try await apply(try provider(transport))
        #expect(applied.remoteID == "108000123456")
        let call = try #require(transport.recorded.first)
        #expect(call.url == "https://vtb.test/base/erp/v1/statement/register")
        #expect(call.header("X-IBM-Client-Id") == "app-1" && call.header("X-IBM-Client-Secret") == "app-secret-1")
        #expect(call.header("Content-Type") == "application/json" && call.header("Accept") == "application/json")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(call.body ?? [])) as? [String: String])
        let requestID = try #require(body["requestId"])
        #expect(requestID.count <= 30)
        #expect(applied.requestID == requestID)
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: vietinBankTestKeyPEM()).publicKey
        let transTime = try #require(body["transTime"])
        #expect(transTime.count == 14 && body["channel"] == "ERP" && body["outputFolder"] == nil)
        let signed = requestID + "SBXSBX001108000123456FILE0 0 * * *" + transTime + "ERP1vi"
        #expect(VietinBankSignature.isValid(try #require(body["signature"]), for: signed, key: key, hash: .sha256))
    }

    @Test func anAnswerWhoseSignatureDoesNotVerifyIsAnError() async throws {
        let transport = RecordingTransport { try Self.answer(to: $0, signedCode: "0") }
        await #expect {
            _ = try await apply(try provider(transport))
        } throws: { error in
            guard let error = error as? ProviderError, case .malformed(let reason) = error.failure else { return false }
            return reason.contains("does not verify with bank_certificate") && error.mayHavePartlyApplied
        }
        let unverified = RecordingTransport { try Self.answer(to: $0, signedCode: "0") }
        let applied = try await apply(try provider(unverified, certificate: false))
        #expect(applied.remoteID == "108000123456", "without bank_certificate the answer is accepted unverified")
        #expect(try provider(unverified, certificate: false).notes(for: [push()]).contains { $0.contains("accepted unverified") })
    }

    @Test func aBusinessErrorInHTTP200NamesTheBankOperationCodeAndMessage() async throws {
        let transport = RecordingTransport { _ in
            RecordingTransport.json(200, #"{"requestId":"R1","status":{"code":"01","message":"Invalid signature"}}"#)
        }
        await #expect {
            _ = try await apply(try provider(transport))
        } throws: { error in
            let text = "\(error)"
            return text.contains("VietinBank iConnect") && text.contains("/erp/v1/statement/register") && text.contains("code 01")
                && text.contains("Invalid signature")
        }
    }

    @Test func aGatewayErrorIsReadFromItsEnvelope() async throws {
        let transport = RecordingTransport { _ in
            RecordingTransport.json(401, #"{"httpCode":"401","httpMessage":"Unauthorized","moreInformation":"Invalid client id or secret."}"#)
        }
        await #expect {
            _ = try await apply(try provider(transport))
        } throws: { error in
            guard let error = error as? ProviderError else { return false }
            return error.status == 401 && error.code == "401" && error.message == "Invalid client id or secret."
        }
    }
}

import Foundation
import PlanModel
@testable import Banks
import Reconciler
import Testing

/// What a bank's answer or an id from state may make a client send or show: echoed secrets are redacted in every form,
/// an id stays one path segment.
struct BoundaryBankTests {
    @Test func aClientSecretTheBankDecodesFromBasicAndEchoesIsRedactedInEveryForm() async throws {
        let secret = "sepay-client-secret-4711"
        let transport = RecordingTransport { call in
            let basic = call.header("authorization").map { String($0.dropFirst(6)) } ?? ""
            let decoded = String(decoding: Data(base64Encoded: basic) ?? Data(), as: UTF8.self)
            let secretHalf = decoded.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
            let echoed = [secretHalf, secretHalf.uppercased(), secretHalf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
                          Data(secretHalf.utf8).base64EncodedString(), decoded]
            return RecordingTransport.json(401, #"{"error":"invalid client: \#(echoed.joined(separator: " / "))"}"#)
        }
        let basic = Data("client-1:\(secret)".utf8).base64EncodedString()
        let reply = try await RedactingTransport(transport).send(
            HTTPCall(method: "POST", url: "https://bank.example/v1/token", headers: [("Authorization", "Basic \(basic)")]))
        let text = String(decoding: reply.body, as: UTF8.self)
        #expect(!text.lowercased().contains(secret.lowercased()), "\(text)")
        #expect(!text.contains(Data(secret.utf8).base64EncodedString()), "\(text)")
        #expect(text.contains("invalid client: (redacted)"), "\(text)")
    }

    @Test func anIdFromStateOrABankIsSentAsOnePathSegment() async throws {
        let transport = RecordingTransport { _ in RecordingTransport.json(404, #"{"code":404,"message":"not found"}"#) }
        var reader = SettingsReader(["client_id": .string("cid"), "secret_key": .sensitive(Sensitive("the-secret"))])
        let client = FinanOneClient(
            FinanOneSettings(&reader), connection: BankConnection(name: "finan", baseURL: "https://bank.example/open", pipeline: RequestPipeline(wire: transport)))
        #expect(try await client.bankAccount(id: "../../admin/x?y=1#z") == nil)
        #expect(transport.recorded.map(\.url) == ["https://bank.example/open/api/v1/bank-accounts/..%2F..%2Fadmin%2Fx%3Fy%3D1%23z"])
    }
}

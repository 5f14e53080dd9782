import Foundation
import PlanModel
import Banks
import Reconciler
import Testing

/// What a bank's answer may make a client show: echoed secrets are redacted in every form.
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
}

import Foundation
import PlanModel
@testable import Banks
import Reconciler
import Testing

struct FinanOneClientTests {
    let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)
    let masterAddress = ResourceAddress(instance: "finan", kind: "master_accounts", name: "main")

    func provider(_ transport: RecordingTransport) -> BankProvider {
        FinanOne.provider(
            name: "finan", baseURL: "https://bank.example/open", clientID: "cid", secretKey: Sensitive("the-secret"),
            transport: transport, now: { Date(timeIntervalSince1970: 1_700_000_000) })
    }

    func account(_ name: String) -> Resource {
        Resource(
            address: ResourceAddress(instance: "finan", kind: "bank_accounts", name: "a"), providerType: "finan-one", capability: .managed,
            attributes: ["account_name": .string(name), "master": .string("main")], references: ["master": masterAddress], location: here)
    }

    @Test func bytesSentAreTheBytesSignedForNonASCIIBody() async throws {
        let transport = RecordingTransport { _ in
            RecordingTransport.json(200, #"{"code":102001,"request_id":"r1","data":{"account_id":"b1","account_name":"KẾ TOÁN","account_number":"VQR1"}}"#)
        }
        let change = Change(address: account("KẾ TOÁN").address, action: .create)
        let applied = try await provider(transport).apply(change, resource: account("KẾ TOÁN"), context: ApplyContext(remoteIDs: [masterAddress: "m-1"]))
        #expect(applied.remoteID == "b1")
        #expect(applied.requestID == "r1")
        let call = try #require(transport.recorded.first)
        let body = try #require(call.body)
        #expect(String(decoding: body, as: UTF8.self) == #"{"master_account_id":"m-1","account_name":"KẾ TOÁN"}"#)
        #expect(call.url == "https://bank.example/open/api/v1/bank-accounts")
        #expect(call.header("x-timestamp") == "1700000000")
        #expect(call.header("x-client-id") == "cid")
        let expected = FinanOneSigner.signature(secret: "the-secret", method: "POST", path: "/api/v1/bank-accounts", payload: body, timestamp: "1700000000")
        #expect(call.header("x-signature") == expected)
    }

    @Test func queryIsPartOfTheSignedPath() async throws {
        let transport = RecordingTransport { call in
            if call.url.contains("?") {
                return RecordingTransport.json(200, #"{"code":102000,"data":[{"account_id":"m1","account_number":"0933XX0210"}]}"#)
            }
            return RecordingTransport.json(200, #"{"code":102000,"data":[{"account_id":"m1","account_number":"0933XX0210"}]}"#)
        }
        let master = Resource(address: masterAddress, providerType: "finan-one", capability: .observed, attributes: ["account_number": .string("0933450210")], location: here)
        let observed = try await provider(transport).refresh([master], state: [:])
        #expect(observed[masterAddress] == .present(remoteID: "m1", attributes: ["account_number": .string("0933450210")]))
        let filtered = try #require(transport.recorded.last)
        #expect(filtered.url == "https://bank.example/open/api/v1/master-bank-accounts?account_number=0933450210")
        let expected = FinanOneSigner.signature(
            secret: "the-secret", method: "GET", path: "/api/v1/master-bank-accounts?account_number=0933450210", payload: [], timestamp: "1700000000")
        #expect(filtered.header("x-signature") == expected)
        #expect(filtered.body == nil)
    }

    @Test func errorEnvelopeBecomesProviderErrorWithEverythingButSecrets() async throws {
        let transport = RecordingTransport { _ in
            RecordingTransport.json(404, #"{"message":{"content":"Yêu cầu không hợp lệ","error":"Master account does not exist"},"code":104000,"request_id":"req-42"}"#)
        }
        await #expect {
            _ = try await provider(transport).apply(
                Change(address: account("X").address, action: .create), resource: account("X"), context: ApplyContext(remoteIDs: [masterAddress: "nope"]))
        } throws: { error in
            guard let rejection = error as? ProviderError, rejection.failure == .rejected else { return false }
            let text = "\(error)"
            return rejection.bank == "Finan One" && rejection.request == "POST https://bank.example/open/api/v1/bank-accounts"
                && rejection.status == 404 && rejection.code == "104000"
                && rejection.message == "Master account does not exist" && rejection.requestID == "req-42" && !rejection.mayHavePartlyApplied
                && !text.contains("the-secret") && text.contains("req-42")
        }
    }

    @Test func businessErrorInsideHTTP200IsStillAnError() async throws {
        let transport = RecordingTransport { _ in RecordingTransport.json(200, #"{"message":{"error":"denied"},"code":104001,"request_id":"r"}"#) }
        await #expect(throws: ProviderError.self) {
            _ = try await provider(transport).refresh([account("A")], state: [:])
        }
    }

    /// A success answer is decoded once, as the client's envelope; a refusal whose `data` is no account is still
    /// the bank's refusal with its code, not a malformed answer.
    @Test(arguments: [#""data":"denied""#, #""data":[1,2]"#, #""data":null"#])
    func businessErrorInsideHTTP200KeepsItsCodeWhateverItsData(_ data: String) async throws {
        let transport = RecordingTransport { _ in RecordingTransport.json(200, #"{"message":{"error":"denied"},"code":104001,"request_id":"r",\#(data)}"#) }
        await #expect {
            _ = try await provider(transport).refresh([account("A")], state: [:])
        } throws: { error in
            guard let rejection = error as? ProviderError, rejection.failure == .rejected else { return false }
            return rejection.code == "104001" && rejection.message == "denied" && rejection.requestID == "r" && rejection.status == 200
        }
    }

    @Test func unreachableCreateMayHavePartlyApplied() async throws {
        let transport = RecordingTransport { call in
            if call.method == "POST" { throw TransportFailure(reason: "read timeout", requestMayHaveBeenSent: true) }
            return RecordingTransport.json(200, #"{"code":102000,"data":[]}"#)
        }
        await #expect {
            _ = try await provider(transport).apply(
                Change(address: account("A").address, action: .create), resource: account("A"), context: ApplyContext(remoteIDs: [masterAddress: "m"]))
        } throws: { error in
            (error as? ProviderError)?.mayHavePartlyApplied == true
        }
    }

    @Test func dataAsObjectOrArrayAndIdUnderEitherNameAreRead() throws {
        let decoder = JSONDecoder()
        let one = try decoder.decode(FinanEnvelope<FinanList<FinanAccount>>.self, from: Data(#"{"code":102001,"data":{"id":"x1"}}"#.utf8))
        let many = try decoder.decode(FinanEnvelope<FinanList<FinanAccount>>.self, from: Data(#"{"code":102000,"data":[{"account_id":"x2"},{"account_id":"x3"}]}"#.utf8))
        #expect(one.data?.items.map(\.identifier) == ["x1"])
        #expect(many.data?.items.map(\.identifier) == ["x2", "x3"])
    }

    @Test(arguments: [("0933XX0210", "0933450210", true), ("0933XX0211", "0933450210", false), ("0933450210", "0933450210", false), ("1234XXXX5678", "0933450210", false)])
    func maskedNumbersMatchByTheirVisibleDigits(listed: String, full: String, matches: Bool) {
        #expect(FinanOneMapping.maskedNumber(listed, matches: full) == matches)
    }
}

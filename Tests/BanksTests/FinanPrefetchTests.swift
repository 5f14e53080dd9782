import Foundation
import PlanModel
@testable import Banks
import Reconciler
import Testing

/// Finan One's bank-account list needs no master id, so a refresh sends it beside the master list instead of
/// after it, and still ties each account to its master once the masters are read.
struct FinanPrefetchTests {
    let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)
    let masterAddress = ResourceAddress(instance: "finan", kind: "master_accounts", name: "main")

    /// Holds every master call until the bank-account list has been asked for.
    actor Arrival {
        var arrived = false
        /// A master call stopped waiting because its call was cancelled (the pipeline's deadline), not because
        /// the list was asked for: the calls went out one after the other.
        var gaveUp = false
        var waiting: [CheckedContinuation<Void, Never>] = []

        func giveUp() {
            if !arrived { gaveUp = true }
            arrive()
        }

        func arrive() {
            arrived = true
            for continuation in waiting { continuation.resume() }
            waiting = []
        }

        /// Returns when the list is asked for, or when the call is cancelled.
        func wait() async {
            if arrived { return }
            await withTaskCancellationHandler {
                await withCheckedContinuation { waiting.append($0) }
            } onCancel: {
                Task { await self.giveUp() }
            }
        }
    }

    final class HoldingTransport: HTTPTransport {
        let accountsAsked = Arrival()

        func send(_ call: HTTPCall) async throws -> HTTPReply {
            if call.url.hasSuffix("/api/v1/bank-accounts") {
                await accountsAsked.arrive()
                return RecordingTransport.json(200, #"{"code":102000,"data":[{"account_id":"b1","account_name":"OPS","master_account_name":"Main Co"}]}"#)
            }
            await accountsAsked.wait()
            return RecordingTransport.json(200, #"{"code":102000,"data":[{"account_id":"m1","account_number":"0933450210","account_name":"MAIN CO"}]}"#)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theAccountListGoesOutBesideTheMasterListAndAccountsStillFindTheirMaster() async throws {
        let transport = HoldingTransport()
        let provider = FinanOne.provider(
            name: "finan", baseURL: "https://bank.example/open", clientID: "cid", secretKey: Sensitive("s"), transport: transport)
        let master = Resource(
            address: masterAddress, providerType: "finan-one", capability: .observed, attributes: ["account_number": .string("0933450210")],
            location: here)
        let account = Resource(
            address: ResourceAddress(instance: "finan", kind: "bank_accounts", name: "ops"), providerType: "finan-one", capability: .managed,
            attributes: ["account_name": .string("OPS"), "master": .string("main")], references: ["master": masterAddress], location: here)
        let observed = try await provider.refresh([master, account], state: [:])
        #expect(await transport.accountsAsked.gaveUp == false, "the master list was answered only after its call timed out")
        guard case .present(let id, let attributes)? = observed[account.address] else {
            Issue.record("the account was not found: \(String(describing: observed[account.address]))")
            return
        }
        #expect(id == "b1")
        #expect(attributes["master"] == .string("main"))
        guard case .present(let masterID, _)? = observed[masterAddress] else {
            Issue.record("the master was not found")
            return
        }
        #expect(masterID == "m1")
    }
}

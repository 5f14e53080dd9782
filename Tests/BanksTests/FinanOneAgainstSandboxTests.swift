@testable import Banks
import Foundation
import PlanModel
import Reconciler
import Sandbox
import Testing

/// The Finan One client against the in-process simulator, over real HTTP on a port picked by the OS.
struct FinanOneAgainstSandboxTests {
    let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)
    let masterAddress = ResourceAddress(instance: "finan", kind: "master_accounts", name: "main")

    func withSandbox(secret: String = "sandbox-secret-key", _ body: (BankProvider) async throws -> Void) async throws {
        let sandbox = try await SandboxServer.start(SandboxConfiguration())
        let provider = FinanOne.provider(
            name: "finan", baseURL: "http://127.0.0.1:\(sandbox.port)/finan/open", clientID: "sandbox-client-id",
            secretKey: Sensitive(secret), transport: AsyncHTTPTransport())
        do {
            try await body(provider)
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }

    var master: Resource {
        Resource(address: masterAddress, providerType: "finan-one", capability: .observed, attributes: ["account_number": .string("0933450210")], location: here)
    }

    func account(_ name: String) -> Resource {
        Resource(
            address: ResourceAddress(instance: "finan", kind: "bank_accounts", name: "a"), providerType: "finan-one", capability: .managed,
            attributes: ["account_name": .string(name), "master": .string("main")], references: ["master": masterAddress], location: here)
    }

    @Test func refreshFindsTheMaskedMasterThenCreatesAndFindsTheAccount() async throws {
        try await withSandbox { provider in
            let before = try await provider.refresh([master, account("KẾ TOÁN")], state: [:])
            guard case .present(let masterID, let attributes)? = before[masterAddress] else {
                Issue.record("master not found: \(String(describing: before[masterAddress]))")
                return
            }
            #expect(masterID == "3c919ce1-b310-47ae-9727-f9323ac4fba7")
            #expect(attributes["account_name"] == .string("CONG TY SANDBOX"))
            #expect(before[account("KẾ TOÁN").address] == .absent)

            let applied = try await provider.apply(
                Change(address: account("x").address, action: .create), resource: account("KẾ TOÁN"),
                context: ApplyContext(remoteIDs: [masterAddress: masterID]))
            #expect(applied.attributes["account_number"]?.revealedText.hasPrefix("VQR") == true)
            #expect(applied.requestID?.count == 32)

            let tracked = StateEntry(remoteID: applied.remoteID, attributes: applied.attributes)
            let after = try await provider.refresh([master, account("KẾ TOÁN")], state: [account("x").address: tracked])
            #expect(after[account("x").address] == .present(
                remoteID: applied.remoteID, attributes: ["account_name": .string("KẾ TOÁN"), "master": .string("main")]))
        }
    }

    @Test func unknownMasterIsA404WithTheBanksWordsAndRequestID() async throws {
        try await withSandbox { provider in
            await #expect {
                _ = try await provider.apply(
                    Change(address: account("x").address, action: .create), resource: account("A"),
                    context: ApplyContext(remoteIDs: [masterAddress: "00000000-0000-0000-0000-000000000000"]))
            } throws: { error in
                guard let error = error as? ProviderError, error.failure == .rejected, error.status == 404, error.code == "104000",
                      error.message == "Master account does not exist", let requestID = error.requestID, !error.mayHavePartlyApplied
                else { return false }
                return requestID.count == 32
            }
        }
    }

    @Test func wrongSecretIsA401ThatNeverShowsTheSecret() async throws {
        try await withSandbox(secret: "not-the-secret") { provider in
            await #expect {
                _ = try await provider.refresh([master], state: [:])
            } throws: { error in
                guard let rejection = error as? ProviderError, rejection.failure == .rejected, rejection.status == 401,
                      rejection.code == "104000", rejection.message == "Invalid signature" else { return false }
                return !"\(error)".contains("not-the-secret") && "\(error)".contains("client_id and secret_key")
            }
        }
    }
}

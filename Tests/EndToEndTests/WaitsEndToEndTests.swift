import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Sandbox
import Testing

/// Waiting is a dependency, with the built binary on the examples: what needs a person's step not done yet waits
/// for it (exit 3, naming the step) instead of failing at the bank, and runs once the step is done.
struct WaitsEndToEndTests {
    @Test func theVietinBankExampleWaitsForItsApplicationThenRegistersThePush() async throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("vietinbank-onboarding")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(first.status == 3, "\(first.output)\(first.errors)")
        #expect(first.output.contains("vtb.statement_push.main-account: waits for vtb.applications.erp (a person's step)"), "\(first.output)")
        #expect(first.output.contains("vtb.consents.finance-team: waits for vtb.applications.erp"))
        #expect(!first.output.contains("failed") && !first.errors.contains("failed"), "\(first.errors)")

        // The operator's portal steps, on the sandbox's world, as the example's README does them.
        let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: folder.appendingPathComponent(".provision/sandbox").path))
        let operatorBase = "http://127.0.0.1:\(sandbox.port)/vietinbank/sandbox"
        try await Self.post("\(operatorBase)/applications", #"{"name":"acme-erp","client_id":"acme-erp-client","client_secret":"acme-erp-sandbox-secret","callback_url":"http://127.0.0.1:8765/vietinbank/callback"}"#)
        for api in ["erp-statement", "erp-transfer"] {
            try await Self.post("\(operatorBase)/applications/acme-erp-client/subscriptions", #"{"api":"\#(api)","plan":"Default"}"#)
        }
        await sandbox.stop()
        #expect(try binary.run(["confirm", "vtb.applications.erp", "."], in: folder).status == 0)

        let next = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(next.output.contains("vtb.statement_push.main-account: created"), "\(next.output)\(next.errors)")
        #expect(next.output.contains("vtb.consents.finance-team: a person must open"), "the consent starts once its application is done")
        #expect(next.status == 3, "the customer's consent is still a person's step")
    }

    @Test func theICICIExampleWaitsForItsApplicationInsteadOfFailing() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("icici-go-live")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try binary.run(["apply", "--env", "sandbox", "--auto-approve", "."], in: folder)
        #expect(first.status == 3, "\(first.output)\(first.errors)")
        #expect(first.output.contains("icici.cib_registrations.ops: waits for icici.applications.payments (a person's step)"), "\(first.output)")
        #expect(!first.errors.contains("failed"), "\(first.errors)")
    }

    static func post(_ url: String, _ body: String) async throws {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (_, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        #expect((200..<300).contains(status), "POST \(url) answered \(status)")
    }
}

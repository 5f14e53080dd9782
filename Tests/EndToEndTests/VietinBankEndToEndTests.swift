import Foundation
import Testing

/// The built binary on the VietinBank onboarding example, against the embedded sandbox.
struct VietinBankEndToEndTests {
    @Test func theFirstPlanListsThePortalStepsAndPrintsNoSecret() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("vietinbank-onboarding")
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = "vtb-e2e-secret-\(UUID().uuidString)"
        let plan = try binary.run(["plan", "--detailed-exitcode", "--out", "saved.plan", "."], in: folder, environment: ["VTB_CLIENT_SECRET": secret])
        #expect(plan.status == 2, "\(plan.output)\(plan.errors)")
        #expect(plan.output.contains("? vtb.applications.erp needs a person"))
        #expect(plan.output.contains("✗ application acme-erp (client id acme-erp-client): missing (POST /erp/v1/statement/inquiry answered HTTP 401, code 401: Invalid client id or secret.)"))
        #expect(plan.output.contains("Subscribe it to: [{api: \"erp-statement\", plan: \"Default\", rate_limit: \"100/minute\"}"))
        #expect(plan.output.contains("note: bank_certificate is not set"))
        #expect(plan.output.contains("? vtb.consents.finance-team needs a person in a browser"))
        // The consent's command is whole, no placeholder to fill: it asks for the URL the browser reached.
        #expect(plan.output.contains("otherwise run provision consent vtb.consents.finance-team and paste the URL the browser reached when it asks"), "\(plan.output)")
        #expect(!plan.output.contains("--redirect-url URL"))
        #expect(plan.output.contains("+ vtb.statement_push.main-account will be created"))

        let key = try String(contentsOf: folder.appendingPathComponent("keys/sandbox-partner-key.pem"), encoding: .utf8)
        let keyLine = try #require(key.split(separator: "\n").dropFirst().first.map(String.init))
        let saved = try String(contentsOf: folder.appendingPathComponent("saved.plan"), encoding: .utf8)
        for text in [plan.output, plan.errors, saved] {
            #expect(!text.contains(secret) && !text.contains(keyLine))
        }
    }
}

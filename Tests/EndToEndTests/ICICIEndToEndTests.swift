import Foundation
import Testing

/// The built binary on the ICICI go-live example, against the embedded sandbox.
struct ICICIEndToEndTests {
    @Test func theFirstPlanListsTheJourneyAndPrintsNoSecret() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("icici-go-live")
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = "icici-e2e-key-\(UUID().uuidString)"
        let plan = try binary.run(
            ["plan", "--env", "sandbox", "--detailed-exitcode", "--out", "saved.plan", "."], in: folder, environment: ["ICICI_API_KEY": secret])
        #expect(plan.status == 2, "\(plan.output)\(plan.errors)")
        #expect(plan.output.contains("? icici.applications.payments needs a person"))
        #expect(plan.output.contains("✗ application acme-payments (its api_key): missing (POST /api/Corporate/CIB/v1/Registration answered HTTP 401"))
        #expect(plan.output.contains("waiting for corporate user USER1 of CIBNEXT to approve in CIB"))
        #expect(plan.output.contains("note: bank_certificate or client_private_key is not set"))

        let confirm = try binary.run(["confirm", "--env", "uat", "gate.nda-signed", "--note", "NDA-118", "."], in: folder, environment: ["ICICI_API_KEY": secret])
        #expect(confirm.status == 0, "\(confirm.output)\(confirm.errors)")

        let key = try String(contentsOf: folder.appendingPathComponent("keys/sandbox-client-key.pem"), encoding: .utf8)
        let keyLines = key.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
        var texts = [plan.output, plan.errors, confirm.output, confirm.errors]
        let state = folder.appendingPathComponent(".provision")
        for file in FileManager.default.subpaths(atPath: state.path) ?? [] where !file.contains("/sandbox/") {
            if let text = try? String(contentsOf: state.appendingPathComponent(file), encoding: .utf8) { texts.append(text) }
        }
        texts.append(try String(contentsOf: folder.appendingPathComponent("saved.plan"), encoding: .utf8))
        for text in texts {
            #expect(!text.contains(secret) && !keyLines.contains { text.contains($0) })
        }
    }
}

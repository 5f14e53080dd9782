import Foundation
import Testing

/// Gates and promotion with the built binary: an environment's gates block apply until confirmed, and
/// `promotes_from:` blocks it until the upstream environment's last apply converged with the same definitions.
struct JourneyEndToEndTests {
    static let manifest = """
        version: 1
        providers:
          finan:
            type: finan-one
            endpoint: sandbox
            client_id: sandbox-client-id
            secret_key: ${env:FINAN_SECRET_KEY:-sandbox-secret-key}
        finan:
          master_accounts:
            main: { account_number: "0933450210" }
          bank_accounts:
            accounting: { master: main, account_name: KE TOAN }
        environments:
          uat:
            gates:
              nda-signed: Sign the NDA with the bank.
          production:
            promotes_from: uat
            gates:
              production-keys: Receive the production keys by e-mail.
              sign-off: Send the UAT sign-off e-mail.
        """

    @Test func productionIsRefusedUntilItsGatesAreConfirmedAndUATConverged() throws {
        let binary = try ProvisionBinary()
        let folder = try folderWithManifest(Self.manifest)
        defer { try? FileManager.default.removeItem(at: folder) }

        let refused = try binary.run(["apply", "--env", "production", "--auto-approve", "."], in: folder)
        #expect(refused.status == 1, "\(refused.output)\(refused.errors)")
        #expect(refused.errors.contains("gate 1, not confirmed: production-keys: Receive the production keys by e-mail."), "\(refused.errors)")
        #expect(refused.errors.contains("gate 2, not confirmed: sign-off"))
        #expect(refused.errors.contains("finan.bank_accounts.accounting (never applied in uat)"))
        #expect(refused.output.contains("note: not yet proven in uat: finan.master_accounts.main"))

        #expect(try binary.run(["apply", "--env", "uat", "--auto-approve", "."], in: folder).status == 1, "uat has its own gate")
        let confirm = try binary.run(["confirm", "--env", "uat", "gate.nda-signed", "--note", "TICKET-42", "."], in: folder)
        #expect(confirm.status == 0, "\(confirm.output)\(confirm.errors)")
        let uat = try binary.run(["apply", "--env", "uat", "--auto-approve", "."], in: folder)
        #expect(uat.status == 0, "\(uat.output)\(uat.errors)")

        let gatesOnly = try binary.run(["apply", "--env", "production", "--auto-approve", "."], in: folder)
        #expect(gatesOnly.status == 1 && !gatesOnly.errors.contains("not yet converged"), "\(gatesOnly.errors)")
        for gate in ["production-keys", "sign-off"] {
            #expect(try binary.run(["confirm", "--env", "production", "gate.\(gate)", "."], in: folder).status == 0)
        }
        let production = try binary.run(["apply", "--env", "production", "--auto-approve", "."], in: folder)
        #expect(production.status == 0, "\(production.output)\(production.errors)")
        #expect(production.output.contains("promotes from uat: every shared resource converged there with the same definition"))

        let state = try String(contentsOf: folder.appendingPathComponent(".provision/environments/uat/state.json"), encoding: .utf8)
        #expect(state.contains("TICKET-42") && state.contains("\"nda-signed\""))
        let journals = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(".provision/environments/uat/journal").path)
        let journal = try journals.map { try String(contentsOf: folder.appendingPathComponent(".provision/environments/uat/journal/\($0)"), encoding: .utf8) }.joined()
        #expect(journal.contains("\"address\":\"gate.nda-signed\"") && journal.contains("TICKET-42"))
    }

    @Test func aChangedDefinitionIsNotProvenUpstream() throws {
        let binary = try ProvisionBinary()
        let folder = try folderWithManifest(Self.manifest
            + "\n    finan:\n      bank_accounts:\n        accounting: { master: main, account_name: KE TOAN PROD }\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try binary.run(["confirm", "--env", "uat", "gate.nda-signed", "."], in: folder).status == 0)
        #expect(try binary.run(["apply", "--env", "uat", "--auto-approve", "."], in: folder).status == 0)
        let refused = try binary.run(["plan", "--env", "production", "."], in: folder)
        #expect(refused.output.contains("not yet proven in uat: finan.bank_accounts.accounting (its definition differs from the one uat last applied)"), "\(refused.output)")
        #expect(!refused.output.contains("finan.master_accounts.main ("), "the master account is the same in both")
    }
}

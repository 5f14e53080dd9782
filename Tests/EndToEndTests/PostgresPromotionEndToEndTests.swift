import Foundation
@testable import PostgresState
import Reconciler
import Sandbox
import Testing

/// Environments that promote from each other, their state and journal in PostgreSQL: production reads uat's last
/// apply from the database (not from a folder on the machine), and both applies' journals are kept beside the state.
@Suite(.enabled(if: PostgresFixture.url != nil, PostgresFixture.skipReason))
struct PostgresPromotionEndToEndTests {
    static func manifest(schema: String, port: Int) -> String {
        """
        version: 1
        backend:
          type: postgres
          url: ${env:PROVISION_PG_URL}
          schema: \(schema)
          name: \(PostgresFixture.stateName)
        providers:
          finan:
            type: finan-one
            endpoint: http://127.0.0.1:\(port)/finan/open
            client_id: sandbox-client-id
            secret_key: sandbox-secret-key
        finan:
          master_accounts:
            main: { account_number: "0933450210" }
          bank_accounts:
            accounting: { master: main, account_name: KE TOAN }
        environments:
          uat: {}
          production:
            promotes_from: uat
        """
    }

    @Test func productionPromotesFromUATThroughTheDatabaseAndBothJournalsAreThere() async throws {
        try await PostgresFixture.withSchema { schema in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("provision-pg-promote-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: root.appendingPathComponent("bank").path))
            defer { Task { await sandbox.stop() } }
            let folder = try folderWithManifest(Self.manifest(schema: schema, port: sandbox.port))
            defer { try? FileManager.default.removeItem(at: folder) }
            let binary = try ProvisionBinary()
            let environment = ["PROVISION_PG_URL": PostgresFixture.url!]

            let refused = try binary.run(["apply", "--env", "production", "--auto-approve", "."], in: folder, environment: environment)
            #expect(refused.status == 1 && refused.errors.contains("finan.bank_accounts.accounting (never applied in uat)"), "\(refused.errors)")
            let uat = try binary.run(["apply", "--env", "uat", "--auto-approve", "."], in: folder, environment: environment)
            #expect(uat.status == 0, "\(uat.output)\(uat.errors)")
            let production = try binary.run(["apply", "--env", "production", "--auto-approve", "."], in: folder, environment: environment)
            #expect(production.status == 0, "\(production.output)\(production.errors)")
            #expect(production.output.contains("promotes from uat: every shared resource converged there with the same definition"))

            // uat creates the account; production (the same simulated bank here) adopts it.
            for (name, lines) in [("uat", ["intent create", "outcome create"]), ("production", ["outcome adopt"])] {
                let backend = try PostgresStateBackend(
                    url: try PostgresURL(parsing: PostgresFixture.url!), schema: schema, name: PostgresFixture.stateName, environment: name,
                    localDirectory: folder.appendingPathComponent(".provision/environments/\(name)"))
                let entries = try await backend.journalEntries().map(\.entry)
                let account = entries.filter { $0.address == "finan.bank_accounts.accounting" }
                #expect(account.map { "\($0.entry) \($0.action)" } == lines, "\(name): \(entries)")
                #expect(account.allSatisfy { $0.operation == "apply" && $0.runBy != nil })
                #expect(account.last?.outcome == "applied")
            }
            let journal = try binary.run(["state", "journal", "--env", "production", "."], in: folder, environment: environment)
            #expect(journal.status == 0 && journal.output.contains("outcome adopt finan.bank_accounts.accounting: applied"), "\(journal.output)\(journal.errors)")
            // state mv and rm go through the database too, each with its journal line there.
            let move = try binary.run(
                ["state", "mv", "--env", "uat", "finan.bank_accounts.accounting", "finan.bank_accounts.accounts", "."], in: folder, environment: environment)
            #expect(move.status == 0, "\(move.output)\(move.errors)")
            let forget = try binary.run(["state", "rm", "--env", "uat", "finan.bank_accounts.accounts", "."], in: folder, environment: environment)
            #expect(forget.status == 0, "\(forget.output)\(forget.errors)")
            let uatBackend = try PostgresStateBackend(
                url: try PostgresURL(parsing: PostgresFixture.url!), schema: schema, name: PostgresFixture.stateName, environment: "uat",
                localDirectory: folder.appendingPathComponent(".provision/environments/uat"))
            #expect(try await uatBackend.load().resources.keys.map(\.description) == ["finan.master_accounts.main"])
            #expect(try await uatBackend.journalEntries().suffix(2).map { "\($0.entry.operation ?? "") \($0.entry.entry)" } == ["state mv move", "state rm forget"])
            let written = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
            #expect(!written.contains { $0.split(separator: "/").contains("journal") }, "no journal folder on this machine: \(written)")
            for result in [refused, uat, production, journal] {
                #expect(!(result.output + result.errors).contains(PostgresFixture.password))
            }
        }
    }
}

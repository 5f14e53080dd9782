import Foundation
import PostgresState
import Reconciler
import Sandbox
import Testing

/// Shared state in PostgreSQL through the built binary: processes that take turns, a holder killed with its
/// lock, migration both ways, and a password that never prints. Needs `PROVISION_TEST_PG_URL` (`.ci/run`).
@Suite(.enabled(if: PostgresFixture.url != nil, PostgresFixture.skipReason))
struct PostgresEndToEndTests {
    static let accounts = ["TEAM ALPHA", "TEAM BRAVO", "TEAM CHARLIE", "TEAM DELTA", "TEAM ECHO", "TEAM FOXTROT", "TEAM GOLF", "TEAM HOTEL"]

    @Test func twoAppliesOfTheSameManifestTakeTurnsAndCreateEachAccountOnce() async throws {
        try await PostgresFixture.withBank(accounts: Self.accounts) { fixture in
            let apply = ["apply", "--auto-approve", "--lock-timeout", "2m", "."]
            let started = PostgresFixture.now()
            let first = try fixture.binary.start(apply, in: fixture.folder, environment: fixture.environment)
            let second = try fixture.binary.start(apply, in: fixture.folder, environment: fixture.environment)
            let results = [await first.result.value, await second.result.value]
            for result in results {
                #expect(result.status == 0, "\(result.output)\(result.errors)")
                fixture.expectNoPassword(in: result)
            }
            let created = results.map { $0.output.split(separator: "\n").filter { $0.hasSuffix("]") && $0.contains(": created (id ") }.count }
            #expect(created.sorted() == [0, Self.accounts.count], "one apply creates every account, the other finds nothing to do")
            #expect(try fixture.accountsAtTheBank() == Self.accounts.sorted())

            let locks = try await fixture.backend.lockHistory()
            #expect(locks.map(\.status) == ["released", "released"])
            #expect(Set(locks.map(\.info.pid)) == [first.pid, second.pid])
            let firstEnded = try #require(locks[0].ended)
            #expect(firstEnded <= locks[1].info.created, "the second holder took the lock only after the first released it")
            #expect(started < firstEnded, "both were started before the first finished, so the second waited")

            let serials = try await fixture.backend.history().map(\.state.serial)
            #expect(serials == Array(1...serials.count), "serials strictly increase, one per save, none lost")
            #expect(try await fixture.backend.load().resources.count == Self.accounts.count + 1)
        }
    }

    @Test func checkReadsTheStateInTheDatabaseAndWarnsOfAHeldLock() async throws {
        try await PostgresFixture.withBank(accounts: ["TEAM ALPHA"]) { fixture in
            let free = try await fixture.binary.finish(["check", "."], in: fixture.folder, environment: fixture.environment)
            #expect(free.status == 0, "\(free.output)\(free.errors)")
            let state = free.output.split(separator: "\n").first { $0.hasPrefix("(state)") && $0.contains("state backend") }
            #expect(state?.contains(" ok ") == true && state?.contains("postgres://") == true, "\(free.output)")
            fixture.expectNoPassword(in: free)

            let held = try await fixture.backend.withLock(operation: "apply", timeout: .zero) {
                try await fixture.binary.finish(["check", "--format", "json", "."], in: fixture.folder, environment: fixture.environment)
            }
            #expect(held.status == 2, "\(held.output)\(held.errors)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(held.output.utf8)) as? [String: Any])
            let lock = (document["checks"] as? [[String: Any]])?.first { $0["check"] as? String == "state lock" }
            #expect(lock?["status"] as? String == "warning" && (lock?["detail"] as? String)?.contains("(pid \(getpid())) running apply") == true, "\(held.output)")
            fixture.expectNoPassword(in: held)
        }
    }

    @Test func aHolderKilledMidApplyLosesItsLockAndTheNextApplyConvergesWithoutDuplicates() async throws {
        try await PostgresFixture.withBank(accounts: Self.accounts) { fixture in
            let victim = try fixture.binary.start(["apply", "--auto-approve", "."], in: fixture.folder, environment: fixture.environment)
            try await PostgresFixture.eventually("the apply holds the lock and has saved two resources") {
                guard try await fixture.backend.holder()?.pid == victim.pid else { return false }
                return try await fixture.backend.load().serial >= 2
            }
            victim.kill()
            let killed = await victim.result.value
            #expect(killed.status == SIGKILL, "\(killed.output)\(killed.errors)")
            try await PostgresFixture.eventually("the server releases the lock with the session") {
                try await fixture.backend.holder() == nil
            }
            let row = try #require(try await fixture.backend.lockHistory().last)
            #expect(row.status == "abandoned" && row.info.pid == victim.pid && row.info.operation == "apply" && row.ended != nil)

            let history = try fixture.binary.run(["state", "history", "."], in: fixture.folder, environment: fixture.environment)
            #expect(history.output.contains("(pid \(victim.pid)) running apply since \(row.info.created), lock id \(row.info.id): abandoned"), "\(history.output)\(history.errors)")

            let next = await (try fixture.binary.start(["apply", "--auto-approve", "."], in: fixture.folder, environment: fixture.environment)).result.value
            #expect(next.status == 0, "\(next.output)\(next.errors)")
            #expect(next.output.contains("Apply complete"))
            #expect(try fixture.accountsAtTheBank() == Self.accounts.sorted(), "every account exists once: none was created twice")
            let plan = try fixture.binary.run(["plan", "--detailed-exitcode", "."], in: fixture.folder, environment: fixture.environment)
            #expect(plan.status == 0, "\(plan.output)\(plan.errors)")
            let serials = try await fixture.backend.history().map(\.state.serial)
            #expect(serials == Array(1...serials.count))
            for result in [killed, history, next, plan] { fixture.expectNoPassword(in: result) }
        }
    }

    @Test func migrationKeepsEveryResourceItsSerialAndLineageBothWays() async throws {
        try await PostgresFixture.withSchema { schema in try await Self.migrateBothWays(schema: schema) }
    }

    static func migrateBothWays(schema: String) async throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try binary.run(["apply", "--auto-approve", "."], in: folder).status == 0)
        #expect(try binary.run(["apply", "--auto-approve", "."], in: folder).status == 0)
        let local = try StateStore(directory: folder.appendingPathComponent(".provision")).load()
        let database = PostgresFixture.url! + "&schema=\(schema)"

        let migrate = try binary.run(["state", "migrate", "--to", database, "."], in: folder)
        #expect(migrate.status == 0, "\(migrate.output)\(migrate.errors)")
        #expect(migrate.output.contains("serial \(local.serial)") && migrate.output.contains("lineage \(local.lineage)"))
        let backend = try PostgresFixture.backend(schema: schema, name: folder.lastPathComponent, localDirectory: folder.appendingPathComponent(".provision"))
        #expect(try await backend.load() == local)
        #expect(try await backend.history().last?.state.serial == local.serial)

        let plan = try binary.run(["plan", "--detailed-exitcode", "--state", database, "."], in: folder)
        #expect(plan.status == 0, "plan after migration shows no changes: \(plan.output)\(plan.errors)")
        let listed = try binary.run(["state", "list", "--state", database, "."], in: folder)
        #expect(listed.output == (try binary.run(["state", "list", "."], in: folder)).output)
        let again = try binary.run(["state", "migrate", "--to", database, "."], in: folder)
        #expect(again.status == 1 && again.errors.contains("already holds a state"))

        let back = folder.appendingPathComponent("back")
        let home = try binary.run(["state", "migrate", "--to", back.path, "--state", database, "."], in: folder)
        #expect(home.status == 0, "\(home.output)\(home.errors)")
        #expect(try StateStore(directory: back).load() == local)
        for result in [migrate, plan, listed, again, home] {
            #expect(!(result.output + result.errors).contains(PostgresFixture.password))
        }
    }

    @Test func aWrongPasswordIsRefusedWithoutPrintingIt() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let wrong = PostgresFixture.url!.replacingOccurrences(of: ":\(PostgresFixture.password)@", with: ":wrong-\(PostgresFixture.password)@")
        let result = try binary.run(["plan", "--state", wrong, "."], in: folder)
        #expect(result.status == 1)
        #expect(result.errors.contains("password authentication failed"), "\(result.errors)")
        #expect(!(result.output + result.errors).contains(PostgresFixture.password))
    }
}

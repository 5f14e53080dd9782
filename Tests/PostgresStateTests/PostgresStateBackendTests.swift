import Foundation
import PlanModel
@testable import PostgresState
import Reconciler
import Testing

/// The PostgreSQL backend against a real server: history, the optimistic check, and the lock.
@Suite(.enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct PostgresStateBackendTests {
    static let account = ResourceAddress(instance: "bank", kind: "accounts", name: "payroll")

    static func entry(_ id: String) -> StateEntry {
        StateEntry(remoteID: id, attributes: ["name": .string("PAYROLL")])
    }

    @Test func everySaveIsKeptAsHistoryWithItsSerialAndLineage() async throws {
        try await TestDatabase.withSchema { schema in
            let backend = try TestDatabase.backend(schema: schema)
            var state = try await backend.load()
            #expect(state.lineage.isEmpty && state.serial == 0)
            for id in ["a-1", "a-2", "a-3"] {
                state[Self.account] = Self.entry(id)
                try await backend.save(&state)
            }
            let loaded = try await backend.load()
            #expect(loaded == state)
            #expect(loaded.serial == 3)
            let history = try await backend.history()
            #expect(history.map(\.state.serial) == [1, 2, 3])
            #expect(Set(history.map(\.state.lineage)) == [state.lineage])
            #expect(history.map { $0.state[Self.account]?.remoteID } == ["a-1", "a-2", "a-3"])
            #expect(history.allSatisfy { $0.savedBy?.contains("running save") == true && $0.savedAt != nil })
        }
    }

    @Test func aWriteFromAStaleReadIsRefusedAndNothingIsLost() async throws {
        try await TestDatabase.withSchema { schema in
            let first = try TestDatabase.backend(schema: schema)
            let second = try TestDatabase.backend(schema: schema)
            var seed = State(lineage: "")
            try await first.save(&seed)
            var mine = try await first.load()
            var theirs = try await second.load()
            mine[Self.account] = Self.entry("mine")
            try await first.save(&mine)
            theirs[Self.account] = Self.entry("theirs")
            await #expect {
                try await second.save(&theirs)
            } throws: { error in
                guard case ReconcilerError.stateConflict(_, let read, let found, let writer)? = error as? ReconcilerError else { return false }
                return read == 1 && found == 2 && writer?.contains("running save") == true
            }
            #expect(theirs.serial == 1, "a refused save leaves the caller's state as it was")
            #expect(try await first.load()[Self.account]?.remoteID == "mine")
            #expect(try await first.history().map(\.state.serial) == [1, 2])
        }
    }

    @Test func concurrentFirstSavesCreateOneState() async throws {
        try await TestDatabase.withSchema { schema in
            let backends = try (0..<4).map { _ in try TestDatabase.backend(schema: schema) }
            try await backends[0].withLock(operation: "setup", timeout: .zero) {}  // creates the tables once
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for backend in backends {
                    group.addTask {
                        var state = State(lineage: "")
                        return (try? await backend.save(&state)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await backends[0].history().map(\.state.serial) == [1])
        }
    }

    @Test func aSecondWriterWaitsThenTimesOutNamingTheHolder() async throws {
        try await TestDatabase.withSchema { schema in
            let holder = try TestDatabase.backend(schema: schema)
            let other = try TestDatabase.backend(schema: schema)
            try await holder.withLock(operation: "apply", timeout: .zero) {
                let info = try #require(try await other.holder())
                #expect(info.operation == "apply" && info.pid == getpid())
                let started = ContinuousClock.now
                await #expect {
                    try await other.withLock(operation: "confirm", timeout: .milliseconds(500)) {}
                } throws: { error in
                    "\(error)".contains("State is locked") && "\(error)".contains("lock id \(info.id)")
                }
                #expect(ContinuousClock.now - started >= .milliseconds(500))
            }
            #expect(try await other.holder() == nil)
            try await other.withLock(operation: "confirm", timeout: .zero) {}
            let records = try await holder.lockHistory()
            #expect(records.map(\.status) == ["released", "released"])
            #expect(records.map(\.info.operation) == ["apply", "confirm"])
        }
    }

    @Test func aLockWhoseSessionDiesIsReleasedByTheServerAndRecordedAbandoned() async throws {
        try await TestDatabase.withSchema { schema in
            let dying = try TestDatabase.backend(schema: schema)
            let next = try TestDatabase.backend(schema: schema)
            let notices = NoticeLog()
            try await dying.withLock(operation: "apply", timeout: .zero) {
                var state = try await dying.load()
                try await dying.save(&state)
                let info = try #require(try await next.holder())
                // The holder's connection drops, as when its process is killed: the server ends the session.
                try await TestDatabase.execute("SELECT pg_terminate_backend(backend_pid) FROM \(schema).locks WHERE id = '\(info.id)'")
                await #expect(throws: PostgresStateError.self) { try await dying.save(&state) }
                try await next.withLock(operation: "apply", timeout: .seconds(10), notice: { notices.append($0) }) {
                    var current = try await next.load()
                    #expect(current.serial == 1)
                    try await next.save(&current)
                }
            }
            let records = try await next.lockHistory()
            #expect(records.map(\.status) == ["abandoned", "released"])
            #expect(records[0].info.pid == getpid() && records[0].info.operation == "apply" && records[0].ended != nil)
            #expect(notices.lines.count == 1 && notices.lines[0].contains("abandoned by") && notices.lines[0].contains(records[0].info.id))
            #expect(try await next.history().map(\.state.serial) == [1, 2])
        }
    }

    @Test func unlockEndsTheSessionOfAHolderThatHangs() async throws {
        try await TestDatabase.withSchema { schema in
            let hung = try TestDatabase.backend(schema: schema)
            let operator_ = try TestDatabase.backend(schema: schema)
            try await hung.withLock(operation: "apply", timeout: .zero) {
                await #expect(throws: ReconcilerError.self) { _ = try await operator_.forceUnlock(id: "not-the-id") }
                let info = try #require(try await operator_.holder())
                let message = try await operator_.forceUnlock(id: info.id)
                #expect(message.contains("ended the database session"))
                await #expect(throws: PostgresStateError.self) { _ = try await hung.load() }
                var state = State(lineage: "")
                await #expect(throws: PostgresStateError.self) { try await hung.save(&state) }
            }
            #expect(try await operator_.holder() == nil)
            #expect(try await operator_.lockHistory().map(\.status) == ["unlocked"])
            await #expect(throws: ReconcilerError.self) { _ = try await operator_.forceUnlock(id: "any") }
        }
    }

    @Test func importKeepsSerialsAndLineageAndRefusesAnOccupiedTarget() async throws {
        try await TestDatabase.withSchema { schema in
            let backend = try TestDatabase.backend(schema: schema, environment: "staging")
            var older = State(lineage: "lineage-1", serial: 6)
            older[Self.account] = Self.entry("old")
            var head = older
            head.serial = 7
            head[Self.account] = Self.entry("new")
            try await backend.importHistory([older, head])
            #expect(try await backend.load() == head)
            #expect(try await backend.history().map(\.state.serial) == [6, 7])
            await #expect(throws: ReconcilerError.self) { try await backend.importHistory([head]) }
            var next = try await backend.load()
            try await backend.save(&next)
            #expect(next.serial == 8 && next.lineage == "lineage-1")
            let otherEnvironment = try TestDatabase.backend(schema: schema, environment: nil)
            #expect(try await otherEnvironment.load().lineage.isEmpty, "each environment has a state of its own")
        }
    }

    @Test func errorsNeverShowThePassword() async throws {
        let url = try PostgresURL(parsing: TestDatabase.url!)
        let password = try #require(url.password?.revealed)
        var wrong = url
        wrong.password = Sensitive("not-" + password)
        let backend = try PostgresStateBackend(url: wrong, schema: TestDatabase.uniqueSchema(), name: "x", environment: nil, localDirectory: URL(fileURLWithPath: "/tmp"))
        do {
            _ = try await backend.load()
            Issue.record("a wrong password was accepted")
        } catch {
            #expect("\(error)".contains("password authentication failed"))
            #expect(!"\(error)".contains(password))
            #expect(!"\(error)".contains("not-"))
        }
        #expect(!backend.location.contains(password))
        #expect(!"\(url)".contains(password))
    }
}

/// Notices a backend sent, collected across tasks.
final class NoticeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ line: String) {
        lock.withLock { stored.append(line) }
    }

    var lines: [String] { lock.withLock { stored } }
}

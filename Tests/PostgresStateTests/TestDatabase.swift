import Foundation
import Logging
import PostgresNIO
@testable import PostgresState
import Testing

/// The PostgreSQL server of this test run, named by `PROVISION_TEST_PG_URL` (`.ci/run` starts one).
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["PROVISION_TEST_PG_URL"]
    /// Why the database tests are skipped, shown by swift-testing beside each skipped test.
    static let skipReason: Comment = "PROVISION_TEST_PG_URL is not set, so there is no PostgreSQL server for this run; `bash .ci/run` starts one with .ci/postgres.sh (see docs/state.md, Testing)"
    static var available: Bool { url != nil }

    /// A schema no other test uses, so tests run in parallel without meeting.
    static func uniqueSchema() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24)
    }

    /// A backend for state `name` in `schema`, its local folder a fresh temporary one.
    static func backend(schema: String, name: String = "bank-setup", environment: String? = nil) throws -> PostgresStateBackend {
        let local = FileManager.default.temporaryDirectory.appendingPathComponent("provision-pg-\(UUID().uuidString)")
        return try PostgresStateBackend(url: try PostgresURL(parsing: url!), schema: schema, name: name, environment: environment, localDirectory: local)
    }

    /// Runs `body` with a schema of its own, dropped afterwards.
    static func withSchema<T>(_ body: (String) async throws -> T) async throws -> T {
        let schema = uniqueSchema()
        do {
            let result = try await body(schema)
            try await drop(schema)
            return result
        } catch {
            try? await drop(schema)
            throw error
        }
    }

    static func drop(_ schema: String) async throws {
        try await backend(schema: schema).dropSchema()
    }

    /// Runs one statement on a connection of its own.
    static func execute(_ sql: String) async throws {
        try await backend(schema: "public").withConnection("run a test statement", tables: false) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresStateBackend.logger)
        }
    }
}

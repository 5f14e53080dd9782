import Logging
import PostgresNIO

/// The backend's tables in one database schema, created when missing.
///
/// - `states`: the head of each state, one row per name and environment: its lineage and current serial.
/// - `state_versions`: every saved version, by serial, with its body (JSON), when and by whom it was saved.
/// - `locks`: one row per time the lock was taken: who (owner, host, pid, operation), when, the database
///   session (`backend_pid`) holding the advisory lock, and how it ended (`held`, `released`, `abandoned`, `unlocked`).
/// - `journal`: every journal line of every run, in the order written: the state it belongs to, the run (id,
///   operation, who), when, and the line itself (JSON). No foreign key: a first apply journals before its first save.
///
/// Invariant: `schema` matches `BackendConfig.schemaPattern`, so it is safe to write into SQL unquoted.
struct PostgresTables: Sendable {
    let schema: String

    var states: String { "\(schema).states" }
    var versions: String { "\(schema).state_versions" }
    var locks: String { "\(schema).locks" }
    var journal: String { "\(schema).journal" }

    /// The first advisory lock key of every state lock (the second is the state's own).
    static let lockNamespace = "provision-state"
    /// The key that serialises creating the tables, so two first runs do not race.
    static let setupNamespace = "provision-setup"

    var statements: [String] {
        [
            "CREATE SCHEMA IF NOT EXISTS \(schema)",
            """
            CREATE TABLE IF NOT EXISTS \(states) (
                name text NOT NULL,
                environment text NOT NULL,
                lineage text NOT NULL,
                serial bigint NOT NULL CHECK (serial > 0),
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (name, environment))
            """,
            """
            CREATE TABLE IF NOT EXISTS \(versions) (
                name text NOT NULL,
                environment text NOT NULL,
                serial bigint NOT NULL,
                lineage text NOT NULL,
                body jsonb NOT NULL,
                saved_at timestamptz NOT NULL DEFAULT now(),
                saved_by text NOT NULL,
                lock_id text,
                PRIMARY KEY (name, environment, serial),
                FOREIGN KEY (name, environment) REFERENCES \(states) (name, environment) ON DELETE CASCADE)
            """,
            """
            CREATE TABLE IF NOT EXISTS \(locks) (
                id text PRIMARY KEY,
                name text NOT NULL,
                environment text NOT NULL,
                owner text NOT NULL,
                host text NOT NULL,
                pid integer NOT NULL,
                operation text NOT NULL,
                acquired_at timestamptz NOT NULL DEFAULT now(),
                backend_pid integer NOT NULL,
                status text NOT NULL CHECK (status IN ('held', 'released', 'abandoned', 'unlocked')),
                ended_at timestamptz)
            """,
            "CREATE INDEX IF NOT EXISTS locks_by_state ON \(locks) (name, environment, acquired_at)",
            """
            CREATE TABLE IF NOT EXISTS \(journal) (
                id bigserial PRIMARY KEY,
                name text NOT NULL,
                environment text NOT NULL,
                run_id text NOT NULL,
                operation text NOT NULL,
                run_by text NOT NULL,
                written_at timestamptz NOT NULL DEFAULT now(),
                line jsonb NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS journal_by_state ON \(journal) (name, environment, id)",
        ]
    }

    /// Creates what is missing, in one transaction, holding a lock so concurrent first runs take turns.
    /// When every table exists nothing is created, so a role that may only read and write them is enough.
    func create(on connection: PostgresConnection, logger: Logger) async throws {
        let check = "SELECT to_regclass('\(states)') IS NOT NULL AND to_regclass('\(versions)') IS NOT NULL AND to_regclass('\(locks)') IS NOT NULL AND to_regclass('\(journal)') IS NOT NULL"
        for row in try await connection.rows(PostgresQuery(unsafeSQL: check), logger: logger) {
            let exists = try row.decode(Bool.self)
            guard exists else { continue }
            return
        }
        try await connection.transaction(logger: logger) { connection in
            try await connection.rows("SELECT pg_advisory_xact_lock(hashtext(\(Self.setupNamespace)), hashtext(\(schema)))", logger: logger)
            for statement in statements {
                try await connection.rows(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    /// SQL for a timestamp column as ISO 8601 in UTC.
    static func iso(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }
}

/// A statement was about to go to a connection that is already closed.
struct ConnectionClosed: Error {}

extension PostgresConnection {
    /// Runs `query` and reads every row before returning, so the connection is free for the next statement
    /// whatever the caller does with them. Refuses a closed connection at once (a query written to one never answers).
    @discardableResult
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        guard !isClosed else { throw ConnectionClosed() }
        return try await self.query(query, logger: logger).collect()
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back (if the connection is still open) when it throws.
    func transaction<T>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await rows("BEGIN", logger: logger)
        do {
            let result = try await body(self)
            try await rows("COMMIT", logger: logger)
            return result
        } catch {
            if !isClosed { _ = try? await rows("ROLLBACK", logger: logger) }
            throw error
        }
    }
}

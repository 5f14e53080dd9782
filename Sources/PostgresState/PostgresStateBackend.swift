import Foundation
import Logging
import NIOSSL
import PlanModel
import PostgresNIO
import Reconciler
import Synchronization

/// State kept in PostgreSQL, shared by every machine that plans and applies a manifest.
///
/// One state per `name` and `environment`; every save is a new version in `state_versions`, written only if
/// the serial it was read at is still the head (one transaction). While `withLock` runs, every load and save
/// goes through the session that holds the state's advisory lock, so a writer that lost its session
/// (connection dropped, process killed) can write nothing more, and the server has released its lock.
///
/// Invariant: the password stays inside the connection configuration; `location` and every error leave it out.
public final class PostgresStateBackend: StateBackend {
    public let url: PostgresURL
    public let name: String
    /// The environment, or "" for a manifest that declares none.
    public let environment: String
    public let localDirectory: URL
    let tables: PostgresTables
    /// The session holding the lock while `withLock` runs; nil otherwise.
    let held = Mutex<HeldLock?>(nil)
    /// The tables were checked (and created when missing) by this process.
    let ready = Mutex(false)

    static let logger = Logger(label: "provision.state.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// - Parameter schema: the database schema; nil for the URL's `?schema=`, else `provision`.
    public init(url: PostgresURL, schema: String? = nil, name: String, environment: String?, localDirectory: URL) throws(PostgresStateError) {
        let chosen = schema ?? url.schema ?? BackendConfig.defaultSchema
        guard chosen.wholeMatch(of: try! Regex(BackendConfig.schemaPattern.regex)) != nil else {
            throw .badURL(reason: "the schema must be \(BackendConfig.schemaPattern.meaning)")
        }
        self.url = url
        self.name = name
        self.environment = environment ?? ""
        self.localDirectory = localDirectory
        self.tables = PostgresTables(schema: chosen)
    }

    public var location: String {
        "\(url) (schema \(tables.schema), state \(name)" + (environment.isEmpty ? "" : ", environment \(environment)") + ")"
    }

    // MARK: State

    public func load() async throws -> State {
        try await withConnection("read the state") { connection in
            let query: PostgresQuery = """
                SELECT v.serial, v.body::text FROM \(unescaped: tables.states) h
                JOIN \(unescaped: tables.versions) v ON v.name = h.name AND v.environment = h.environment AND v.serial = h.serial
                WHERE h.name = \(name) AND h.environment = \(environment)
                """
            for row in try await connection.rows(query, logger: Self.logger) {
                let (serial, body) = try row.decode((Int, String).self)
                return try decode(body, serial: serial)
            }
            return State(lineage: "")
        }
    }

    public func save(_ state: inout State) async throws {
        var next = state
        next.serial += 1
        if next.lineage.isEmpty { next.lineage = UUID().uuidString.lowercased() }
        let body = try Self.encode(next)
        let lockID = held.withLock { $0?.info.id }
        let writer = held.withLock { $0.map { Self.writer($0.info) } } ?? Self.writer(operation: "save")
        let read = state.serial
        try await withConnection("save the state") { [next] connection in
            try await connection.transaction(logger: Self.logger) { connection in
                try await checkHead(on: connection, read: read, lineage: next.lineage)
                try await insert(next, body: body, writer: writer, lockID: lockID, on: connection)
            }
        }
        state = next
    }

    /// Refuses with `.stateConflict` unless the head is still at `read` (locking the head row till commit).
    func checkHead(on connection: PostgresConnection, read: Int, lineage: String) async throws {
        let query: PostgresQuery = """
            SELECT h.serial, h.lineage, v.saved_by FROM \(unescaped: tables.states) h
            LEFT JOIN \(unescaped: tables.versions) v ON v.name = h.name AND v.environment = h.environment AND v.serial = h.serial
            WHERE h.name = \(name) AND h.environment = \(environment) FOR UPDATE OF h
            """
        var found: (serial: Int, lineage: String, writer: String?)?
        for row in try await connection.rows(query, logger: Self.logger) {
            let (serial, lineage, writer) = try row.decode((Int, String, String?).self)
            found = (serial, lineage, writer)
        }
        let foundSerial = found?.serial ?? 0
        if foundSerial != read || (read > 0 && found?.lineage != lineage) {
            throw ReconcilerError.stateConflict(location: location, read: read, found: foundSerial, writer: found?.writer)
        }
    }

    /// Writes a version and moves the head to it; a state's first save creates the head row, and fails
    /// as a conflict when another first save created it meanwhile.
    func insert(_ state: State, body: String, writer: String, lockID: String?, on connection: PostgresConnection) async throws {
        let head: PostgresQuery = state.serial == 1
            ? "INSERT INTO \(unescaped: tables.states) (name, environment, lineage, serial) VALUES (\(name), \(environment), \(state.lineage), \(state.serial))"
            : """
              UPDATE \(unescaped: tables.states) SET serial = \(state.serial), lineage = \(state.lineage), updated_at = now()
              WHERE name = \(name) AND environment = \(environment)
              """
        do {
            try await connection.rows(head, logger: Self.logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw ReconcilerError.stateConflict(location: location, read: 0, found: 1, writer: nil)
        }
        try await connection.rows("""
            INSERT INTO \(unescaped: tables.versions) (name, environment, serial, lineage, body, saved_by, lock_id)
            VALUES (\(name), \(environment), \(state.serial), \(state.lineage), \(body)::jsonb, \(writer), \(lockID))
            """, logger: Self.logger)
    }

    public func history() async throws -> [StateVersion] {
        try await withConnection("read the state's history") { connection in
            let query: PostgresQuery = """
                SELECT serial, body::text, \(unescaped: PostgresTables.iso("saved_at")), saved_by FROM \(unescaped: tables.versions)
                WHERE name = \(name) AND environment = \(environment) ORDER BY serial
                """
            var versions: [StateVersion] = []
            for row in try await connection.rows(query, logger: Self.logger) {
                let (serial, body, savedAt, savedBy) = try row.decode((Int, String, String, String).self)
                versions.append(StateVersion(state: try decode(body, serial: serial), savedAt: savedAt, savedBy: savedBy))
            }
            return versions
        }
    }

    public func importHistory(_ versions: [State]) async throws {
        guard let last = versions.last else { return }
        let writer = Self.writer(operation: "state migrate")
        let bodies = try versions.map(Self.encode)
        try await withConnection("import the state") { connection in
            try await connection.transaction(logger: Self.logger) { connection in
                let existing: PostgresQuery = "SELECT lineage, serial FROM \(unescaped: tables.states) WHERE name = \(name) AND environment = \(environment) FOR UPDATE"
                for row in try await connection.rows(existing, logger: Self.logger) {
                    let (lineage, serial) = try row.decode((String, Int).self)
                    throw ReconcilerError.stateExists(location: location, lineage: lineage, serial: serial)
                }
                try await connection.rows("""
                    INSERT INTO \(unescaped: tables.states) (name, environment, lineage, serial) VALUES (\(name), \(environment), \(last.lineage), \(last.serial))
                    """, logger: Self.logger)
                for (version, body) in zip(versions, bodies) {
                    try await connection.rows("""
                        INSERT INTO \(unescaped: tables.versions) (name, environment, serial, lineage, body, saved_by)
                        VALUES (\(name), \(environment), \(version.serial), \(version.lineage), \(body)::jsonb, \(writer))
                        """, logger: Self.logger)
                }
            }
        }
    }

    /// Drops the schema with every state, version and lock row in it (for tests and for starting over).
    func dropSchema() async throws {
        try await withConnection("drop schema \(tables.schema)", tables: false) { connection in
            try await connection.rows(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(tables.schema) CASCADE"), logger: Self.logger)
        }
    }

    // MARK: Encoding

    static func encode(_ state: State) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(state), as: UTF8.self)
    }

    /// The state in a version's body; the row's serial is the one that counts (a version restored by
    /// hand from an older body keeps that body's serial inside it).
    func decode(_ body: String, serial: Int) throws -> State {
        do {
            var state = try JSONDecoder().decode(State.self, from: Data(body.utf8))
            state.serial = serial
            return state
        } catch {
            throw PostgresStateError.unreadableState(location: location, serial: serial, reason: "\(error)")
        }
    }

    /// Who writes, as the history records it: `owner@host (pid N) running OPERATION`.
    static func writer(_ info: LockInfo) -> String {
        "\(info.owner)@\(info.host) (pid \(info.pid)) running \(info.operation)"
    }

    static func writer(operation: String) -> String {
        writer(LockInfo.forThisProcess(operation: operation))
    }
}

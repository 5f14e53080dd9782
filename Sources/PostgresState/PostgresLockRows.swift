import PostgresNIO
import Reconciler

extension PostgresStateBackend {
    /// The live holder; rows whose session is gone are marked abandoned on the way.
    public func holder() async throws -> LockInfo? {
        try await withConnection("read the state lock") { connection in
            try await liveHolder(on: connection)?.info
        }
    }

    /// The rows still marked `held`, each with whether its session still holds the advisory lock.
    func heldRows(on connection: PostgresConnection) async throws -> [LockRow] {
        let query: PostgresQuery = """
            SELECT l.id, l.owner, l.host, l.pid, l.operation, \(unescaped: PostgresTables.iso("l.acquired_at")), l.backend_pid,
                EXISTS (SELECT 1 FROM pg_locks k WHERE k.locktype = 'advisory' AND k.granted AND k.pid = l.backend_pid
                    AND k.classid = hashtext(\(PostgresTables.lockNamespace))::oid AND k.objid = hashtext(\(lockKey))::oid AND k.objsubid = 2
                    AND k.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
            FROM \(unescaped: tables.locks) l
            WHERE l.name = \(name) AND l.environment = \(environment) AND l.status = 'held' ORDER BY l.acquired_at
            """
        var rows: [LockRow] = []
        for row in try await connection.rows(query, logger: Self.logger) {
            let (id, owner, host, pid, operation, created, backendPID, alive) = try row.decode((String, String, String, Int32, String, String, Int32, Bool).self)
            let info = LockInfo(id: id, owner: owner, host: host, pid: pid, operation: operation, created: created)
            rows.append(LockRow(info: info, backendPID: backendPID, alive: alive))
        }
        return rows
    }

    /// The row of the session holding the lock, after marking the rows of dead sessions abandoned.
    func liveHolder(on connection: PostgresConnection) async throws -> LockRow? {
        let rows = try await heldRows(on: connection)
        for row in rows where !row.alive {
            try await end(row.info.id, as: "abandoned", on: connection)
        }
        return rows.last(where: \.alive)
    }

    func end(_ id: String, as status: String, on connection: PostgresConnection) async throws {
        try await connection.rows("""
            UPDATE \(unescaped: tables.locks) SET status = \(status), ended_at = now() WHERE id = \(id) AND status = 'held'
            """, logger: Self.logger)
    }

    /// As `forceUnlock(id:)`: the server tells a live session from a dead one, so `force` changes nothing.
    public func forceUnlock(id: String, force: Bool) async throws -> String {
        try await forceUnlock(id: id)
    }

    /// Ends the session holding lock `id` (the server then releases the lock), or records that it was abandoned.
    public func forceUnlock(id: String) async throws -> String {
        try await withConnection("unlock the state") { connection in
            let rows = try await heldRows(on: connection)
            guard let row = rows.first(where: { $0.info.id == id }) else {
                if let live = try await liveHolder(on: connection) {
                    throw ReconcilerError.lockMismatch(path: location, given: id, holder: live.info.summary)
                }
                throw ReconcilerError.notLocked(path: location)
            }
            guard row.alive else {
                try await end(id, as: "abandoned", on: connection)
                return "Lock \(id) (\(row.info.summary)) was abandoned: its database session had ended and the server had already released it. Recorded it as abandoned."
            }
            let query: PostgresQuery = "SELECT pg_terminate_backend(\(row.backendPID))"
            for answer in try await connection.rows(query, logger: Self.logger) {
                let ended = try answer.decode(Bool.self)
                guard !ended else { continue }
                throw PostgresStateError.refused(location: location, doing: "end the session holding the lock", reason: "pg_terminate_backend(\(row.backendPID)) returned false")
            }
            try await end(id, as: "unlocked", on: connection)
            return "Unlocked: ended the database session of \(row.info.summary); the server released its lock, and that process can no longer write the state."
        }
    }

    /// Every time the lock was taken, oldest first, rows of dead sessions marked abandoned.
    public func lockHistory() async throws -> [LockRecord] {
        try await withConnection("read the state lock") { connection in
            _ = try await liveHolder(on: connection)
            let query: PostgresQuery = """
                SELECT id, owner, host, pid, operation, \(unescaped: PostgresTables.iso("acquired_at")), status, \(unescaped: PostgresTables.iso("ended_at"))
                FROM \(unescaped: tables.locks) WHERE name = \(name) AND environment = \(environment) ORDER BY acquired_at, id
                """
            var records: [LockRecord] = []
            for row in try await connection.rows(query, logger: Self.logger) {
                let (id, owner, host, pid, operation, created, status, ended) = try row.decode((String, String, String, Int32, String, String, String, String?).self)
                let info = LockInfo(id: id, owner: owner, host: host, pid: pid, operation: operation, created: created)
                records.append(LockRecord(info: info, status: status, ended: ended))
            }
            return records
        }
    }
}

import Foundation
import NIOSSL
import PostgresNIO
import Reconciler

/// The session that holds a state's lock, and the lock row it wrote.
struct HeldLock: Sendable {
    let connection: PostgresConnection
    let info: LockInfo
}

/// A lock row as the `locks` table has it, with whether its session still holds the advisory lock.
struct LockRow: Sendable {
    let info: LockInfo
    let backendPID: Int32
    let alive: Bool
}

extension PostgresStateBackend {
    // MARK: Connections

    /// Runs `body` on the session holding the lock while `withLock` runs, else on a connection of its own.
    /// - Parameter tables: check (and create) the tables first; false for statements that need none.
    @discardableResult
    func withConnection<T>(_ doing: String, tables: Bool = true, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        if let held = held.withLock({ $0 }) {
            do {
                return try await body(held.connection)
            } catch let error as ReconcilerError {
                throw error
            } catch {
                guard held.connection.isClosed || PostgresStateError.endsSession(error) else {
                    throw PostgresStateError.from(error, location: location, doing: doing)
                }
                throw PostgresStateError.lockLost(location: location)
            }
        }
        let connection = try await connect(tables: tables)
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch let error as ReconcilerError {
            try? await connection.close()
            throw error
        } catch {
            try? await connection.close()
            throw PostgresStateError.from(error, location: location, doing: doing)
        }
    }

    /// A new session, with the tables checked (and created when missing) once per process.
    func connect(tables needed: Bool = true) async throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try configuration(), id: 1, logger: Self.logger)
        } catch let error as PostgresStateError {
            throw error
        } catch {
            throw PostgresStateError.from(error, location: location, doing: "accept the connection")
        }
        guard needed, !ready.withLock({ $0 }) else { return connection }
        do {
            try await tables.create(on: connection, logger: Self.logger)
        } catch {
            try? await connection.close()
            throw PostgresStateError.from(error, location: location, doing: "create the state tables in schema \(tables.schema)")
        }
        ready.withLock { $0 = true }
        return connection
    }

    func configuration() throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password?.revealed, database: url.database, tls: try tls())
        configuration.options.additionalStartupParameters = [("application_name", url.applicationName)]
        configuration.options.connectTimeout = .seconds(Int64(url.connectTimeout))
        return configuration
    }

    func tls() throws -> PostgresConnection.Configuration.TLS {
        var settings = TLSConfiguration.makeClientConfiguration()
        switch url.tls {
        case .disable: return .disable
        case .verifyFull: break
        case .prefer, .require: settings.certificateVerification = .none
        }
        do {
            let context = try NIOSSLContext(configuration: settings)
            return url.tls == .prefer ? .prefer(context) : .require(context)
        } catch {
            throw PostgresStateError.unreachable(location: location, reason: "TLS cannot be set up: \(error)")
        }
    }

    // MARK: Locking

    /// The second advisory lock key of this state (the first is `PostgresTables.lockNamespace`), before hashing.
    var lockKey: String { "\(tables.schema)/\(name)/\(environment)" }

    public func withLock<T>(operation: String, timeout: Duration, notice: @escaping @Sendable (String) -> Void, _ body: () async throws -> T) async throws -> T {
        let connection = try await connect()
        let info: LockInfo
        do {
            try await acquire(on: connection, timeout: timeout)
            info = try await record(LockInfo.forThisProcess(operation: operation), on: connection, notice: notice)
        } catch {
            try? await connection.close()
            throw error as? ReconcilerError ?? PostgresStateError.from(error, location: location, doing: "take the state lock")
        }
        held.withLock { $0 = HeldLock(connection: connection, info: info) }
        do {
            let result = try await body()
            await release(info, on: connection)
            return result
        } catch {
            await release(info, on: connection)
            throw error
        }
    }

    /// Takes the session-level advisory lock, retrying until `timeout`; throws `.stateLocked` naming the holder.
    func acquire(on connection: PostgresConnection, timeout: Duration) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let query: PostgresQuery = "SELECT pg_try_advisory_lock(hashtext(\(PostgresTables.lockNamespace)), hashtext(\(lockKey)))"
            for row in try await connection.rows(query, logger: Self.logger) {
                let taken = try row.decode(Bool.self)
                guard taken else { continue }
                return
            }
            if ContinuousClock.now >= deadline {
                let holder = try await liveHolder(on: connection)
                throw ReconcilerError.stateLocked(path: location, holder: holder?.info.summary ?? "a session that has not recorded itself yet", lockID: holder?.info.id)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Marks rows left `held` by sessions that died as abandoned (telling `notice`), and writes this holder's row.
    func record(_ info: LockInfo, on connection: PostgresConnection, notice: @Sendable (String) -> Void) async throws -> LockInfo {
        try await connection.transaction(logger: Self.logger) { connection in
            let abandoned: PostgresQuery = """
                UPDATE \(unescaped: tables.locks) SET status = 'abandoned', ended_at = now()
                WHERE name = \(name) AND environment = \(environment) AND status = 'held'
                RETURNING id, owner, host, pid, operation, \(unescaped: PostgresTables.iso("acquired_at"))
                """
            for row in try await connection.rows(abandoned, logger: Self.logger) {
                let (id, owner, host, pid, operation, created) = try row.decode((String, String, String, Int32, String, String).self)
                let gone = LockInfo(id: id, owner: owner, host: host, pid: pid, operation: operation, created: created)
                notice("took over the state lock abandoned by \(gone.summary): its session ended without releasing it")
            }
            try await connection.rows("""
                INSERT INTO \(unescaped: tables.locks) (id, name, environment, owner, host, pid, operation, backend_pid, status)
                VALUES (\(info.id), \(name), \(environment), \(info.owner), \(info.host), \(info.pid), \(info.operation), pg_backend_pid(), 'held')
                """, logger: Self.logger)
        }
        return info
    }

    /// Marks the row released and gives up the advisory lock; closing the session releases it in any case.
    func release(_ info: LockInfo, on connection: PostgresConnection) async {
        held.withLock { $0 = nil }
        _ = try? await connection.rows("""
            UPDATE \(unescaped: tables.locks) SET status = 'released', ended_at = now() WHERE id = \(info.id) AND status = 'held'
            """, logger: Self.logger)
        _ = try? await connection.rows("SELECT pg_advisory_unlock(hashtext(\(PostgresTables.lockNamespace)), hashtext(\(lockKey)))", logger: Self.logger)
        try? await connection.close()
    }
}

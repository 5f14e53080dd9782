import Foundation
import PlanModel
import PostgresNIO
import Reconciler

/// One run's journal in the database, beside the state: a row per line in `journal`, written before `write` returns.
///
/// While the run holds the state's lock, lines go through the session that holds it, as saves do.
struct PostgresJournal: JournalWriting {
    let backend: PostgresStateBackend
    let run: JournalRun

    func write(_ entry: JournalEntry) async throws {
        let line = String(decoding: try entry.encoded(), as: UTF8.self)
        let tables = backend.tables
        do {
            try await backend.withConnection("write the journal") { connection in
                try await connection.rows("""
                    INSERT INTO \(unescaped: tables.journal) (name, environment, run_id, operation, run_by, line)
                    VALUES (\(backend.name), \(backend.environment), \(run.id), \(run.operation), \(run.by), \(line)::jsonb)
                    """, logger: PostgresStateBackend.logger)
            }
        } catch let error as ReconcilerError {
            throw error
        } catch {
            throw ReconcilerError.journalUnwritable(location: backend.journalLocation, reason: "\(error)")
        }
    }

    /// Every line is committed as it is written: nothing is left to wait for.
    func close() async {}
}

/// The database user may not write the journal.
struct PostgresJournalRefused: Error {}

extension PostgresStateBackend {
    public var journalLocation: String { "\(location), table \(tables.journal)" }

    /// Checks, before anything else happens, that the journal's table can be reached (it is created with the state's
    /// tables when missing) and written: a journal that cannot be written stops the operation here.
    public func openJournal(_ run: JournalRun) async throws -> any JournalWriting {
        do {
            try await withConnection("open the journal") { connection in
                try await connection.rows("SELECT has_table_privilege(current_user, \(tables.journal), 'INSERT')", logger: Self.logger).forEach { row in
                    guard try row.decode(Bool.self) else { throw PostgresJournalRefused() }
                }
            }
        } catch is PostgresJournalRefused {
            throw ReconcilerError.journalUnwritable(location: journalLocation, reason: "this database user may not insert into the journal table")
        } catch let error as ReconcilerError {
            throw error
        } catch {
            throw ReconcilerError.journalUnwritable(location: journalLocation, reason: "\(error)")
        }
        return PostgresJournal(backend: self, run: run)
    }

    /// Every line of this state's journal, oldest first.
    public func journalEntries() async throws -> [JournalRecord] {
        try await withConnection("read the journal") { connection in
            let query: PostgresQuery = """
                SELECT run_id, line::text FROM \(unescaped: tables.journal)
                WHERE name = \(name) AND environment = \(environment) ORDER BY id
                """
            let decoder = JSONDecoder()
            var records: [JournalRecord] = []
            for row in try await connection.rows(query, logger: Self.logger) {
                let (run, line) = try row.decode((String, String).self)
                records.append(JournalRecord(run: run, entry: try decoder.decode(JournalEntry.self, from: Data(line.utf8))))
            }
            return records
        }
    }
}

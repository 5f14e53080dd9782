import Foundation
import PlanModel

/// One run of an operation, as its journal names it: an id, the operation, who ran it and when it started.
public struct JournalRun: Sendable, Equatable {
    public var id: String
    public var operation: String
    /// `owner@host (pid N)`.
    public var by: String
    public var started: Date

    public init(id: String = UUID().uuidString.prefix(8).lowercased(), operation: String, by: String, started: Date = Date()) {
        self.id = id
        self.operation = operation
        self.by = by
        self.started = started
    }

    /// A run of `operation` by the user running this process, on this host.
    public static func forThisProcess(operation: String) -> JournalRun {
        let info = LockInfo.forThisProcess(operation: operation)
        return JournalRun(operation: operation, by: "\(info.owner)@\(info.host) (pid \(info.pid))")
    }
}

/// One journal line: an intent before a bank call or state change, its outcome after, or a person's record.
///
/// Invariant: holds no secret (only addresses, actions, ids, the bank's code and words, a person's note).
public struct JournalEntry: Codable, Sendable, Equatable {
    public var time: String
    /// `intent` (before a bank call or state change), `outcome` (after it), `person` (a person's step started),
    /// `gate` or `confirm` (a person's confirmation), `move` or `forget` (a state entry moved or dropped, no bank call).
    public var entry: String
    public var address: String
    public var action: String
    /// The operation of the run (apply, import, confirm, consent, state migrate...), set by the journal.
    public var operation: String?
    /// Who ran it, `owner@host (pid N)`, set by the journal.
    public var runBy: String?
    public var remoteID: String?
    public var requestID: String?
    public var outcome: String?
    public var error: String?
    /// The bank's rejection, field by field, when a bank call failed.
    public var bank: String?
    public var status: Int?
    public var code: String?
    public var mayHavePartlyApplied: Bool?
    /// For a gate or a confirmation: who confirmed it, and their note.
    public var by: String?
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case time, entry, address, action, operation, outcome, error, bank, status, code, by, note
        case runBy = "run_by"
        case remoteID = "remote_id"
        case requestID = "request_id"
        case mayHavePartlyApplied = "may_have_partly_applied"
    }

    public init(
        time: String = Date().formatted(Journal.timeFormat), entry: String, address: String, action: String, remoteID: String? = nil,
        requestID: String? = nil, outcome: String? = nil, error: String? = nil, by: String? = nil, note: String? = nil
    ) {
        self.time = time
        self.entry = entry
        self.address = address
        self.action = action
        self.remoteID = remoteID
        self.requestID = requestID
        self.outcome = outcome
        self.error = error
        self.by = by
        self.note = note
    }

    /// The entry with every text field passed through `scrubber`.
    public func scrubbed(by scrubber: SecretScrubber) -> JournalEntry {
        var entry = self
        for field in [\JournalEntry.outcome, \.error, \.remoteID, \.requestID, \.code, \.note, \.by] {
            entry[keyPath: field] = entry[keyPath: field].map { scrubber.scrub($0) }
        }
        return entry
    }

    /// The line as kept: JSON with sorted keys, no escaped slashes, no newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// A kept journal line with the run it belongs to, as `provision state journal` reads it back.
public struct JournalRecord: Sendable, Equatable {
    public var run: String
    public var entry: JournalEntry

    public init(run: String, entry: JournalEntry) {
        self.run = run
        self.entry = entry
    }
}

/// The journal of one operation run: every bank call and state change is announced here first.
///
/// Invariant: `write` returns only once the line is kept by the backend's journal role; a line that cannot be
/// written throws `.journalUnwritable`, and the operation stops before the call or change it announces.
public final class Journal: Sendable {
    public let run: JournalRun
    public let location: String
    let writer: any JournalWriting

    /// Opens the journal of a new run of `operation` on `sink`; throws when it cannot be written.
    public static func open(_ sink: any JournalSink, operation: String) async throws -> Journal {
        let run = JournalRun.forThisProcess(operation: operation)
        do {
            return Journal(run: run, location: sink.journalLocation, writer: try await sink.openJournal(run))
        } catch let error as ReconcilerError {
            throw error
        } catch {
            throw ReconcilerError.journalUnwritable(location: sink.journalLocation, reason: FileProblem.reason(error))
        }
    }

    init(run: JournalRun, location: String, writer: any JournalWriting) {
        self.run = run
        self.location = location
        self.writer = writer
    }

    /// Writes one line, stamped with the run's operation and who ran it, every secret the process knows scrubbed.
    public func write(_ entry: JournalEntry) async throws {
        var entry = entry.scrubbed(by: SecretScrubber.process)
        entry.operation = run.operation
        entry.runBy = run.by
        do {
            try await writer.write(entry)
        } catch let error as ReconcilerError {
            throw error
        } catch {
            throw ReconcilerError.journalUnwritable(location: location, reason: FileProblem.reason(error))
        }
    }

    /// Records the apply events that concern a bank or the state; others are ignored.
    public func record(_ event: ApplyEvent) async throws {
        guard let entry = Self.entry(for: event) else { return }
        try await write(entry)
    }

    /// The line of an apply event; nil for events the journal does not keep (a skip, a wait).
    static func entry(for event: ApplyEvent) -> JournalEntry? {
        switch event {
        case .started(let change):
            return JournalEntry(entry: "intent", address: change.address.description, action: change.action.rawValue, remoteID: change.remoteID)
        case .finished(let change, let applied, _):
            return JournalEntry(entry: "outcome", address: change.address.description, action: change.action.rawValue,
                                remoteID: applied?.remoteID ?? change.remoteID, requestID: applied?.requestID, outcome: "applied")
        case .failed(let change, let failure):
            let rejection = failure.providerError
            var entry = JournalEntry(entry: "outcome", address: change.address.description, action: change.action.rawValue,
                                     remoteID: change.remoteID, requestID: rejection?.requestID, outcome: "failed", error: failure.message)
            entry.bank = rejection?.bank
            entry.status = rejection?.status
            entry.code = rejection?.code
            entry.mayHavePartlyApplied = rejection?.mayHavePartlyApplied
            return entry
        case .personStep(let change, _):
            return JournalEntry(entry: "person", address: change.address.description, action: change.action.rawValue, outcome: "started")
        case .skipped, .waiting:
            return nil
        }
    }

    /// Waits for the last line to be kept, then closes.
    public func close() async {
        await writer.close()
    }

    /// As `ISO8601DateFormatter`'s default (`2026-01-31T09:30:00Z`), made once rather than per line.
    public static let timeFormat = Date.ISO8601FormatStyle()
}

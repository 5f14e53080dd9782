import Foundation
import PlanModel
import Synchronization

/// An append-only JSON-lines record of one apply: an intent line before every call that changes a bank,
/// an outcome line after it (with the bank's request id). The audit trail, and what a person reads after a crash.
///
/// Invariant: a line is written to the file (so a kill of this process loses none) before the call it announces
/// starts, and synced to disk soon after, off the applier's loop, several lines per sync; `close` returns once every
/// line is synced. No secret is written.
public final class Journal: Sendable {
    public let file: URL
    let handle: Mutex<FileHandle?>
    let syncer: JournalSyncer

    /// Opens `<directory>/journal/<UTC time>-<id>.jsonl` for a new apply.
    public init(stateDirectory: URL, now: Date = Date()) throws {
        let folder = stateDirectory.appendingPathComponent("journal", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withYear, .withMonth, .withDay, .withTime, .withTimeZone]
        let stamp = formatter.string(from: now).replacingOccurrences(of: ":", with: "")
        file = folder.appendingPathComponent("\(stamp)-\(UUID().uuidString.prefix(8).lowercased()).jsonl")
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw ReconcilerError.stateUnwritable(path: file.path, reason: "cannot create the journal")
        }
        let opened = try FileHandle(forWritingTo: file)
        handle = Mutex(opened)
        syncer = JournalSyncer(descriptor: opened.fileDescriptor)
    }

    struct Line: Encodable {
        var time: String
        var entry: String
        var address: String
        var action: String
        var remoteID: String?
        var requestID: String?
        var outcome: String?
        var error: String?
        /// The bank's rejection, field by field, when a bank call failed.
        var bank: String?
        var status: Int?
        var code: String?
        var mayHavePartlyApplied: Bool?
        /// For a gate: who confirmed it, and their note.
        var by: String?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case time, entry, address, action, outcome, error, bank, status, code, by, note
            case remoteID = "remote_id"
            case requestID = "request_id"
            case mayHavePartlyApplied = "may_have_partly_applied"
        }
    }

    /// Records the events that concern changes at a bank or in state; others are ignored.
    public func record(_ event: ApplyEvent) {
        let time = Date().formatted(Self.timeFormat)
        let line: Line
        switch event {
        case .started(let change):
            line = Line(time: time, entry: "intent", address: change.address.description, action: change.action.rawValue, remoteID: change.remoteID)
        case .finished(let change, let applied, _):
            line = Line(time: time, entry: "outcome", address: change.address.description, action: change.action.rawValue,
                        remoteID: applied?.remoteID ?? change.remoteID, requestID: applied?.requestID, outcome: "applied")
        case .failed(let change, let failure):
            let rejection = failure.providerError
            line = Line(time: time, entry: "outcome", address: change.address.description, action: change.action.rawValue,
                        remoteID: change.remoteID, requestID: rejection?.requestID, outcome: "failed", error: failure.message,
                        bank: rejection?.bank, status: rejection?.status, code: rejection?.code,
                        mayHavePartlyApplied: rejection?.mayHavePartlyApplied)
        case .personStep(let change, _):
            line = Line(time: time, entry: "person", address: change.address.description, action: change.action.rawValue, outcome: "started")
        case .skipped, .waiting:
            return
        }
        write(line)
    }

    /// Records that a person confirmed gate `name`.
    public func recordGate(_ name: String, _ confirmation: GateConfirmation) {
        write(Line(time: confirmation.at, entry: "gate", address: "gate.\(name)", action: "confirm", outcome: "confirmed", by: confirmation.by, note: confirmation.note))
    }

    /// As `ISO8601DateFormatter`'s default (`2026-01-31T09:30:00Z`), made once rather than per line.
    static let timeFormat = Date.ISO8601FormatStyle()

    func write(_ line: Line) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(line) else { return }
        data.append(0x0A)
        let written = handle.withLock { handle -> Bool in
            guard let handle else { return false }
            try? handle.write(contentsOf: data)
            return true
        }
        if written { syncer.requestSync() }
    }

    /// Waits for the last sync, then closes the file.
    public func close() {
        syncer.drain()
        handle.withLock { handle in
            try? handle?.synchronize()
            try? handle?.close()
            handle = nil
        }
    }
}

/// Syncs a journal's file on a queue of its own: a request made while a sync is pending joins it.
final class JournalSyncer: Sendable {
    let descriptor: Int32
    let queue = DispatchQueue(label: "provision.journal.sync")
    let pending = Mutex(false)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Every line written before this call is on disk once the sync it starts (or joins) has run.
    func requestSync() {
        let start = pending.withLock { pending -> Bool in
            defer { pending = true }
            return !pending
        }
        guard start else { return }
        queue.async { [self] in
            pending.withLock { $0 = false }
            _ = fsync(descriptor)
        }
    }

    /// Returns once every sync requested so far has run.
    func drain() {
        queue.sync {}
    }
}

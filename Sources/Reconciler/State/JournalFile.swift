import Foundation
import PlanModel
import Synchronization

/// One run's journal in the local state folder: `journal/<UTC time to the millisecond>-<run id>.jsonl`, one JSON line
/// per entry; the names sort in the order the runs started.
///
/// Invariant: a line is in the file (so a kill of this process loses none) before `write` returns, and synced
/// to disk soon after, off the caller's loop, several lines per sync; `close` returns once every line is synced.
final class JournalFile: JournalWriting {
    let file: URL
    let handle: Mutex<FileHandle?>
    let syncer: JournalSyncer
    /// Lines written so far: a run that wrote none leaves no file behind.
    let written = Mutex(0)

    /// Creates the run's file in `directory`; throws `.journalUnwritable` when the folder or file cannot be made.
    init(directory: URL, run: JournalRun) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withYear, .withMonth, .withDay, .withTime, .withFractionalSeconds, .withTimeZone]
        let stamp = formatter.string(from: run.started).replacingOccurrences(of: ":", with: "")
        file = directory.appendingPathComponent("\(stamp)-\(run.id).jsonl")
        let opened: FileHandle
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission)
            }
            opened = try FileHandle(forWritingTo: file)
        } catch {
            throw ReconcilerError.journalUnwritable(location: directory.path, reason: FileProblem.reason(error))
        }
        handle = Mutex(opened)
        syncer = JournalSyncer(descriptor: opened.fileDescriptor)
    }

    func write(_ entry: JournalEntry) throws {
        var data = try entry.encoded()
        data.append(0x0A)
        try handle.withLock { handle in
            guard let handle else { throw ReconcilerError.journalUnwritable(location: file.path, reason: "the journal was closed") }
            do {
                try handle.write(contentsOf: data)
                written.withLock { $0 += 1 }
            } catch {
                throw ReconcilerError.journalUnwritable(location: file.path, reason: FileProblem.reason(error))
            }
        }
        syncer.requestSync()
    }

    /// Syncs and closes; removes the file of a run that wrote no line (a plan with nothing to do, a refusal).
    func close() {
        syncer.drain()
        handle.withLock { handle in
            try? handle?.synchronize()
            try? handle?.close()
            handle = nil
        }
        if written.withLock({ $0 }) == 0 { try? FileManager.default.removeItem(at: file) }
    }

    /// Every line of every run's file in `directory`, runs in file-name (time) order; nothing when there is no journal.
    static func entries(in directory: URL) throws -> [JournalRecord] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
        var records: [JournalRecord] = []
        let decoder = JSONDecoder()
        for name in names {
            let run = String(name.dropLast(".jsonl".count).split(separator: "-").last ?? "")
            let text: String
            do {
                text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            } catch {
                throw ReconcilerError.stateUnreadable(path: directory.appendingPathComponent(name).path, reason: FileProblem.reason(error))
            }
            for line in text.split(separator: "\n") {
                // A line cut short by a kill is left out; the lines before it still count.
                guard let entry = try? decoder.decode(JournalEntry.self, from: Data(line.utf8)) else { continue }
                records.append(JournalRecord(run: run, entry: entry))
            }
        }
        return records
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

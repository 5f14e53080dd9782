import Foundation
import PlanModel
import Synchronization

/// One resource change the local store appended to `state.changes.jsonl` instead of rewriting `state.json`.
struct StateChange: Codable {
    var lineage: String
    /// The state's serial once this change is in it: one more than the line before it (or than `state.json`).
    var serial: Int
    var address: ResourceAddress
    /// Nil when the resource left the state.
    var entry: StateEntry?
}

/// How many change lines the store has appended since it last wrote `state.json` in full.
final class ChangeCount: Sendable {
    let lines = Mutex(0)
}

extension StateStore {
    /// The lines of changes made since `state.json` was last written, replayed over it by `load`.
    public var changes: URL { directory.appendingPathComponent("state.changes.jsonl") }

    /// Saves the change of one resource: one appended line (`serial`, `address`, the entry), the whole state only once
    /// the lines since the last full write outnumber the resources (at least 64), so an apply of N resources encodes
    /// O(N) entries in all. A line is written before this returns, so a kill loses nothing: `load` replays it.
    public func save(_ state: inout State, changing address: ResourceAddress) throws {
        let pending = changeCount.lines.withLock { $0 }
        guard !state.lineage.isEmpty, FileManager.default.fileExists(atPath: file.path),
              pending < max(64, state.resources.count)
        else {
            try save(&state)
            return
        }
        state.serial += 1
        let line = StateChange(lineage: state.lineage, serial: state.serial, address: address, entry: state[address])
        do {
            var data = try JSONEncoder().encode(line)
            data.append(0x0A)
            try Self.append(data, to: changes)
        } catch {
            state.serial -= 1
            throw ReconcilerError.stateUnwritable(path: changes.path, reason: "\(error)")
        }
        changeCount.lines.withLock { $0 += 1 }
    }

    /// Writes `state.json` in full when change lines are pending, at the serial the last line gave it (the content
    /// is what `load` already returns, so it is no new version); nothing otherwise.
    public func flush(_ state: inout State) throws {
        guard FileManager.default.fileExists(atPath: changes.path) else { return }
        try keepBackup()
        try write(state, to: file)
        clearChanges()
    }

    /// `state` with every change line that follows it on disk (same lineage, serials one by one) applied.
    /// A line cut short by a kill mid-write ends the replay; lines at or below `state.json`'s serial are already in it.
    func replayingChanges(over state: State) -> State {
        guard let data = try? Data(contentsOf: changes), !data.isEmpty else { return state }
        var replayed = state
        let decoder = JSONDecoder()
        for line in data.split(separator: 0x0A) {
            guard let change = try? decoder.decode(StateChange.self, from: line), change.lineage == state.lineage else { break }
            if change.serial <= replayed.serial { continue }
            guard change.serial == replayed.serial + 1 else { break }
            replayed[change.address] = change.entry
            replayed.serial = change.serial
        }
        return replayed
    }

    /// Appends `data` to `file` with one `write`, creating the file if needed.
    static func append(_ data: Data, to file: URL) throws {
        let descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))]) }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "short write to \(file.path)"])
        }
    }

    /// Removes the change lines once `state.json` holds them.
    func clearChanges() {
        try? FileManager.default.removeItem(at: changes)
        changeCount.lines.withLock { $0 = 0 }
    }
}

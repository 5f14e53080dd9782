import Crypto
import Foundation
import PlanModel

/// Reads and writes `state.json` in a state folder, atomically, keeping the previous version as a backup.
///
/// Resource changes during an apply may be appended to `state.changes.jsonl` first (`save(_:changing:)`);
/// `load` replays them, so what it returns is the same either way.
public struct StateStore: Sendable {
    public let directory: URL
    let changeCount = ChangeCount()

    public init(directory: URL) {
        self.directory = directory
    }

    public var file: URL { directory.appendingPathComponent("state.json") }
    public var backup: URL { directory.appendingPathComponent("state.json.backup") }
    /// Where the secrets a run must keep are stored, beside the state.
    public var secrets: SecretStore { SecretStore(directory: directory) }

    /// The saved state, or an empty one (no lineage yet) when none was saved.
    public func load() throws -> State {
        guard FileManager.default.fileExists(atPath: file.path) else { return State(lineage: "") }
        do {
            return replayingChanges(over: try JSONDecoder().decode(State.self, from: Data(contentsOf: file)))
        } catch {
            throw ReconcilerError.stateUnreadable(path: file.path, reason: "\(error)")
        }
    }

    /// Writes the state with its serial raised by one: temp file, then rename over the old one.
    public func save(_ state: inout State) throws {
        state.serial += 1
        if state.lineage.isEmpty { state.lineage = UUID().uuidString.lowercased() }
        try keepBackup()
        try write(state, to: file)
        clearChanges()
    }

    /// Keeps the state file, when there is one, as its backup: a second name for the same file (a hard link) put in
    /// place with one rename, so no byte is copied and a full disk cannot leave a short or empty backup; where links
    /// are not possible, a copy written beside the backup and renamed over it.
    ///
    /// Invariant: the backup is always a whole earlier state, or the one it was before: never cut short.
    func keepBackup() throws {
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        let temporary = directory.appendingPathComponent(".\(backup.lastPathComponent).\(getpid()).tmp")
        unlink(temporary.path)
        do {
            guard link(file.path, temporary.path) == 0 else {
                try AtomicFile.write(Data(contentsOf: file), to: backup)
                return
            }
            guard rename(temporary.path, backup.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            unlink(temporary.path)
            throw ReconcilerError.stateUnwritable(path: backup.path, reason: "\(error)")
        }
    }

    /// Writes `state` as it is to `target` (the state file or its backup), atomically.
    func write(_ state: State, to target: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try AtomicFile.write(try Self.encoded(state), to: target)
        } catch {
            throw ReconcilerError.stateUnwritable(path: target.path, reason: "\(error)")
        }
    }
}

import Foundation
import PlanModel

/// Where the state is read and written: one of the roles a state backend plays.
///
/// Invariant: storage never prints, and neither its `location` nor any of its errors shows a password.
public protocol StateStorage: Sendable {
    /// Where the state is, for messages: a path, or a URL without its password.
    var location: String { get }

    /// The saved state, or an empty one (no lineage yet) when none was saved.
    func load() async throws -> State
    /// Saves `state` with its serial raised by one, giving it a lineage when it has none.
    ///
    /// A backend shared between machines refuses with `.stateConflict`, writing nothing, when the saved serial
    /// is no longer the one `state` was read at; the local folder relies on its lock file instead.
    func save(_ state: inout State) async throws
    /// Saves `state` after the one resource at `address` changed in it, serial raised by one as `save` does.
    /// A backend may keep it as a line that `load` replays and write the whole state later, in `flush`.
    func save(_ state: inout State, changing address: ResourceAddress) async throws
    /// Writes in full what `save(_:changing:)` kept as lines; nothing when there is none.
    func flush(_ state: inout State) async throws
}

extension StateStorage {
    /// A backend without change lines saves the whole state for every change.
    public func save(_ state: inout State, changing address: ResourceAddress) async throws {
        try await save(&state)
    }

    public func flush(_ state: inout State) async throws {}
}

/// The saved versions a backend keeps: a role of a state backend.
public protocol StateHistory: Sendable {
    /// Every saved version still kept, oldest first; the last is the current state.
    func history() async throws -> [StateVersion]
    /// Writes `versions` (oldest first) exactly as they are, serials and lineage kept, into a backend that
    /// holds no state yet; refuses with `.stateExists` otherwise.
    func importHistory(_ versions: [State]) async throws
}

/// How writers take turns: a role of a state backend.
public protocol StateLocking: Sendable {
    /// Runs `body` holding the state's lock, waiting up to `timeout` for another holder to finish;
    /// throws `.stateLocked` naming the holder. `notice` hears of a lock taken over from a holder that died.
    func withLock<T>(operation: String, timeout: Duration, notice: @escaping @Sendable (String) -> Void, _ body: () async throws -> T) async throws -> T
    /// The live holder of the lock, if any.
    func holder() async throws -> LockInfo?
    /// Removes the lock with this id, for a holder that died or hangs; with `force`, also a holder the backend
    /// sees still running. Says what was done.
    func forceUnlock(id: String, force: Bool) async throws -> String
    /// Every time the lock was taken, oldest first; empty where the backend keeps no such record.
    func lockHistory() async throws -> [LockRecord]
}

extension StateLocking {
    /// Runs `body` holding the lock; notices of a lock taken over are dropped.
    public func withLock<T>(operation: String, timeout: Duration, _ body: () async throws -> T) async throws -> T {
        try await withLock(operation: operation, timeout: timeout, notice: { _ in }, body)
    }

    public func lockHistory() async throws -> [LockRecord] { [] }
}

/// Where the journal of every operation goes, and where it is read back: a role of a state backend.
public protocol JournalSink: Sendable {
    /// Where the journal is kept, for messages.
    var journalLocation: String { get }
    /// Starts the journal of one run of an operation; throws `.journalUnwritable` when it cannot be written.
    func openJournal(_ run: JournalRun) async throws -> any JournalWriting
    /// Every line kept, oldest first.
    func journalEntries() async throws -> [JournalRecord]
}

/// One run's journal as it is being written.
public protocol JournalWriting: Sendable {
    /// Writes one line; returns once it is kept where a kill of this process cannot lose it.
    func write(_ entry: JournalEntry) async throws
    /// Waits until every line is on disk (or committed), then releases what the run held.
    func close() async
}

/// Where the state lives, composed of its roles: storage, history, lock and journal, and a folder on this machine
/// for what never leaves it (the secrets a step keeps, the OAuth tokens kept).
public protocol StateBackend: StateStorage, StateHistory, StateLocking, JournalSink {
    /// The folder for what stays on this machine: the secrets a run keeps and its kept tokens.
    var localDirectory: URL { get }
}

extension StateBackend {
    /// Where the secrets a run must keep are stored: always the local folder, never the shared state.
    public var secrets: SecretStore { SecretStore(directory: localDirectory) }
}

/// One saved version of a state, as the history keeps it.
public struct StateVersion: Sendable {
    public var state: State
    /// ISO 8601, UTC; nil where the backend does not record it.
    public var savedAt: String?
    /// Who saved it (`owner@host (pid N) running OPERATION`); nil where the backend does not record it.
    public var savedBy: String?

    public init(state: State, savedAt: String? = nil, savedBy: String? = nil) {
        self.state = state
        self.savedAt = savedAt
        self.savedBy = savedBy
    }
}

/// One time the lock was taken, as a backend that keeps lock records has it; for `provision state history`.
public struct LockRecord: Sendable, Equatable {
    public var info: LockInfo
    /// `held`, `released`, `abandoned` (its session ended without releasing it) or `unlocked` (by `state unlock`).
    public var status: String
    /// ISO 8601, UTC; nil while held.
    public var ended: String?

    public init(info: LockInfo, status: String, ended: String?) {
        self.info = info
        self.status = status
        self.ended = ended
    }
}

extension StateStore: StateBackend {
    public var location: String { directory.path }
    public var localDirectory: URL { directory }

    /// The backup (the previous version) when it is of the same lineage, then the current state.
    public func history() throws -> [StateVersion] {
        let current = try load()
        guard !current.lineage.isEmpty else { return [] }
        let previous = (try? Data(contentsOf: backup)).flatMap { try? JSONDecoder().decode(State.self, from: $0) }
        guard let previous, previous.lineage == current.lineage, previous.serial < current.serial else { return [StateVersion(state: current)] }
        return [StateVersion(state: previous), StateVersion(state: current)]
    }

    /// Writes the last version as `state.json` and the one before it as `state.json.backup`.
    public func importHistory(_ versions: [State]) throws {
        guard let head = versions.last else { return }
        let current = try load()
        guard current.lineage.isEmpty else {
            throw ReconcilerError.stateExists(location: location, lineage: current.lineage, serial: current.serial)
        }
        if versions.count > 1 { try write(versions[versions.count - 2], to: backup) }
        try write(head, to: file)
        clearChanges()
    }

    public func withLock<T>(operation: String, timeout: Duration, notice: @escaping @Sendable (String) -> Void, _ body: () async throws -> T) async throws -> T {
        try await StateLock.withLock(in: directory, operation: operation, timeout: timeout, notice: notice, body)
    }

    public func holder() -> LockInfo? {
        StateLock.holder(in: directory)
    }

    /// Unlocks; with `force`, even a holder that still runs on this host.
    public func forceUnlock(id: String, force: Bool = false) throws -> String {
        try StateLock.forceUnlock(in: directory, id: id, force: force)
    }

    public var journalLocation: String { journalDirectory.path }

    /// `journal/` in the state folder: one JSON-lines file per run.
    var journalDirectory: URL { directory.appendingPathComponent("journal", isDirectory: true) }

    public func openJournal(_ run: JournalRun) throws -> any JournalWriting {
        try JournalFile(directory: journalDirectory, run: run)
    }

    public func journalEntries() throws -> [JournalRecord] {
        try JournalFile.entries(in: journalDirectory)
    }
}

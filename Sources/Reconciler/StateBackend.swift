import Foundation
import PlanModel

/// Where state is kept and how writers take turns: the local folder (`StateStore`) or a shared database.
///
/// Invariant: a backend never prints, and neither its `location` nor any of its errors shows a password.
public protocol StateBackend: Sendable {
    /// Where the state is, for messages: a path, or a URL without its password.
    var location: String { get }
    /// The folder for what stays on this machine: the journal, the secrets a run keeps, the sandbox's world.
    var localDirectory: URL { get }

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
    /// Every saved version still kept, oldest first; the last is the current state.
    func history() async throws -> [StateVersion]
    /// Writes `versions` (oldest first) exactly as they are, serials and lineage kept, into a backend that
    /// holds no state yet; refuses with `.stateExists` otherwise.
    func importHistory(_ versions: [State]) async throws

    /// Runs `body` holding the state's lock, waiting up to `timeout` for another holder to finish;
    /// throws `.stateLocked` naming the holder. `notice` hears of a lock taken over from a holder that died.
    func withLock<T>(operation: String, timeout: Duration, notice: @escaping @Sendable (String) -> Void, _ body: () async throws -> T) async throws -> T
    /// The live holder of the lock, if any.
    func holder() async throws -> LockInfo?
    /// Removes the lock with this id, for a holder that died or hangs; says what was done.
    func forceUnlock(id: String) async throws -> String
    /// As `forceUnlock(id:)`; with `force`, also a holder the backend sees still running.
    func forceUnlock(id: String, force: Bool) async throws -> String
}

extension StateBackend {
    /// A backend without change lines saves the whole state for every change.
    public func save(_ state: inout State, changing address: ResourceAddress) async throws {
        try await save(&state)
    }

    public func flush(_ state: inout State) async throws {}

    /// Where the secrets a run must keep are stored: always the local folder, never the shared state.
    public var secrets: SecretStore { SecretStore(directory: localDirectory) }

    /// A backend that cannot tell a live holder from a dead one unlocks as `forceUnlock(id:)` does.
    public func forceUnlock(id: String, force: Bool) async throws -> String {
        try await forceUnlock(id: id)
    }

    /// Runs `body` holding the lock; notices of a lock taken over are dropped.
    public func withLock<T>(operation: String, timeout: Duration, _ body: () async throws -> T) async throws -> T {
        try await withLock(operation: operation, timeout: timeout, notice: { _ in }, body)
    }
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

    public func forceUnlock(id: String) throws -> String {
        try forceUnlock(id: id, force: false)
    }

    /// Unlocks even a holder that still runs on this host.
    public func forceUnlock(id: String, force: Bool) throws -> String {
        try StateLock.forceUnlock(in: directory, id: id, force: force)
    }
}

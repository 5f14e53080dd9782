import Foundation
import PlanModel

/// The state backend of a manifest opened offline whose `backend.url` was deferred (its variable unset): the state is
/// in a database this run cannot name. Commands that read only the manifest never touch it; every use of it throws the
/// manifest's missing-variable error, so nothing reads or writes a state elsewhere in its place.
public struct UnreachableStateBackend: StateBackend {
    /// Why it cannot be reached: the manifest's error for the unset variable.
    public let reason: ManifestError
    public let localDirectory: URL

    public init(reason: ManifestError, localDirectory: URL) {
        self.reason = reason
        self.localDirectory = localDirectory
    }

    public var location: String { "the database of backend.url (unset)" }
    public var journalLocation: String { location }

    public func load() async throws -> State { throw reason }
    public func save(_ state: inout State) async throws { throw reason }
    public func history() async throws -> [StateVersion] { throw reason }
    public func importHistory(_ versions: [State]) async throws { throw reason }
    public func holder() async throws -> LockInfo? { throw reason }
    public func forceUnlock(id: String, force: Bool) async throws -> String { throw reason }
    public func openJournal(_ run: JournalRun) async throws -> any JournalWriting { throw reason }
    public func journalEntries() async throws -> [JournalRecord] { throw reason }

    public func withLock<T>(
        operation: String, timeout: Duration, notice: @escaping @Sendable (String) -> Void, _ body: () async throws -> T
    ) async throws -> T {
        throw reason
    }
}

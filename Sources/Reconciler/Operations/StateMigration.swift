import PlanModel

/// Copies a state, with its serial, lineage and every version kept, to another backend that holds none yet, and
/// checks the copy reads back the same. Both states are locked while copying; the source is left as it was.
public struct StateMigration: Sendable {
    public let source: any StateBackend
    public let target: any StateBackend
    public let lock: LockPolicy

    public init(from source: any StateBackend, to target: any StateBackend, lock: LockPolicy = LockPolicy()) {
        self.source = source
        self.target = target
        self.lock = lock
    }

    /// The state as copied (the source's current version).
    public func run() async throws -> State {
        guard target.location != source.location else { throw ReconcilerError.sameBackend(location: source.location) }
        return try await source.withLock(operation: "state migrate", timeout: lock.timeout, notice: lock.notice) {
            try await target.withLock(operation: "state migrate", timeout: lock.timeout, notice: lock.notice) {
                try await copy()
            }
        }
    }

    func copy() async throws -> State {
        let versions = try await source.history().map(\.state)
        guard let head = versions.last else { throw ReconcilerError.nothingToMigrate(location: source.location) }
        let journal = try await Journal.open(target, operation: "state migrate")
        do {
            let from = "from \(source.location), lineage \(head.lineage), serial \(head.serial)"
            try await journal.write(JournalEntry(entry: "intent", address: "(state)", action: "migrate", note: from))
            try await target.importHistory(versions)
            try await journal.write(JournalEntry(entry: "outcome", address: "(state)", action: "migrate", outcome: "migrated", note: from))
            await journal.close()
        } catch {
            await journal.close()
            throw error
        }
        let copied = try await target.load()
        guard copied == head else { throw ReconcilerError.migrationMismatch(location: target.location) }
        return head
    }
}

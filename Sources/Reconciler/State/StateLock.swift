import Foundation

/// Who holds a state lock, as written in `state.lock`.
public struct LockInfo: Codable, Sendable, Equatable {
    public var id: String
    public var owner: String
    public var host: String
    public var pid: Int32
    public var operation: String
    /// ISO 8601, UTC.
    public var created: String

    public var summary: String {
        "\(owner)@\(host) (pid \(pid)) running \(operation) since \(created), lock id \(id)"
    }

    public init(id: String, owner: String, host: String, pid: Int32, operation: String, created: String) {
        self.id = id
        self.owner = owner
        self.host = host
        self.pid = pid
        self.operation = operation
        self.created = created
    }

    /// The name of the user running this process, from the password database; "unknown" without an entry.
    static func userName() -> String {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return "unknown" }
        return String(cString: name)
    }

    /// The holder ran on this host and its process is still running.
    var isAliveHere: Bool {
        host == ProcessInfo.processInfo.hostName && (kill(pid, 0) == 0 || errno == EPERM)
    }

    /// The holder ran on this host and its process is gone, so the lock can only be stale.
    var isDeadHereAndNow: Bool {
        host == ProcessInfo.processInfo.hostName && pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }

    /// A new lock id for `operation` run by this process: its user, host, pid and the time now.
    public static func forThisProcess(operation: String) -> LockInfo {
        LockInfo(
            id: UUID().uuidString.lowercased(), owner: ProcessInfo.processInfo.environment["USER"] ?? userName(),
            host: ProcessInfo.processInfo.hostName, pid: getpid(), operation: operation, created: ISO8601DateFormatter().string(from: Date()))
    }
}

/// An exclusive lock on a state folder, held by one writing command at a time.
///
/// Invariant: the lock file is created with O_EXCL, so two processes never both hold it;
/// it is removed only by its holder or by `provision state unlock ID`.
public struct StateLock: Sendable {
    public let info: LockInfo
    let file: URL

    static func fileURL(in directory: URL) -> URL { directory.appendingPathComponent("state.lock") }

    /// Takes the lock, retrying until `timeout` has passed; throws `.stateLocked` naming the holder.
    ///
    /// A lock whose holder ran on this host and whose process is gone is stale: `notice` says so and it is taken over.
    public static func acquire(
        in directory: URL, operation: String, timeout: Duration = .zero, notice: (String) -> Void = { _ in }
    ) async throws -> StateLock {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = fileURL(in: directory)
        let info = LockInfo.forThisProcess(operation: operation)
        let data = try JSONEncoder().encode(info)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let descriptor = open(file.path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if descriptor >= 0 {
                let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                let reason = String(cString: strerror(errno))
                let synced = fsync(descriptor) == 0
                close(descriptor)
                guard written == data.count, synced else {
                    // A lock file that says nothing (a full disk) must not be left for every later command to trip on.
                    unlink(file.path)
                    throw ReconcilerError.stateUnwritable(path: file.path, reason: "the lock could not be written: \(reason)")
                }
                return StateLock(info: info, file: file)
            }
            guard errno == EEXIST else {
                throw ReconcilerError.stateUnwritable(path: file.path, reason: String(cString: strerror(errno)))
            }
            if let stale = holder(in: directory), stale.isDeadHereAndNow {
                notice("took over the state lock of \(stale.summary): that process is no longer running on this host.")
                if (try? forceUnlock(in: directory, id: stale.id)) != nil { continue }
            }
            if clock.now >= deadline {
                let found = holder(in: directory)
                throw ReconcilerError.stateLocked(path: file.path, holder: found?.summary ?? "an unreadable lock file", lockID: found?.id)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The current holder, if the folder is locked.
    public static func holder(in directory: URL) -> LockInfo? {
        guard let data = try? Data(contentsOf: fileURL(in: directory)) else { return nil }
        return try? JSONDecoder().decode(LockInfo.self, from: data)
    }

    /// Removes a lock by its id, for a holder that died; refuses a different id, and a holder still running on
    /// this host unless `force`. A lock file that cannot be read is removed whatever id is given.
    @discardableResult
    public static func forceUnlock(in directory: URL, id: String, force: Bool = false) throws -> String {
        let file = fileURL(in: directory)
        guard let current = holder(in: directory) else {
            guard FileManager.default.fileExists(atPath: file.path) else { throw ReconcilerError.notLocked(path: file.path) }
            try FileManager.default.removeItem(at: file)
            return "Removed an unreadable lock file (\(file.path)); it named no holder."
        }
        guard current.id == id else {
            throw ReconcilerError.lockMismatch(path: file.path, given: id, holder: current.summary)
        }
        if current.isAliveHere && !force {
            throw ReconcilerError.lockHolderAlive(path: file.path, holder: current.summary)
        }
        try FileManager.default.removeItem(at: file)
        return "Unlocked."
    }

    /// Releases the lock if this holder still has it.
    public func release() {
        guard StateLock.holder(in: file.deletingLastPathComponent())?.id == info.id else { return }
        try? FileManager.default.removeItem(at: file)
    }

    /// Runs `body` holding the lock; releases it whatever happens.
    public static func withLock<T>(
        in directory: URL, operation: String, timeout: Duration = .zero, notice: (String) -> Void = { _ in }, _ body: () async throws -> T
    ) async throws -> T {
        let lock = try await acquire(in: directory, operation: operation, timeout: timeout, notice: notice)
        defer { lock.release() }
        return try await body()
    }
}

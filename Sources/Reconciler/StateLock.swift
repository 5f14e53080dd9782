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
    public static func acquire(in directory: URL, operation: String, timeout: Duration = .zero) async throws -> StateLock {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = fileURL(in: directory)
        let info = LockInfo.forThisProcess(operation: operation)
        let data = try JSONEncoder().encode(info)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let descriptor = open(file.path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if descriptor >= 0 {
                _ = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                close(descriptor)
                return StateLock(info: info, file: file)
            }
            guard errno == EEXIST else {
                throw ReconcilerError.stateUnwritable(path: file.path, reason: String(cString: strerror(errno)))
            }
            if clock.now >= deadline {
                throw ReconcilerError.stateLocked(path: file.path, holder: holder(in: directory)?.summary ?? "an unreadable lock file")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The current holder, if the folder is locked.
    public static func holder(in directory: URL) -> LockInfo? {
        guard let data = try? Data(contentsOf: fileURL(in: directory)) else { return nil }
        return try? JSONDecoder().decode(LockInfo.self, from: data)
    }

    /// Removes a lock by its id, for a holder that died; refuses a different id.
    public static func forceUnlock(in directory: URL, id: String) throws {
        guard let current = holder(in: directory) else {
            throw ReconcilerError.notLocked(path: fileURL(in: directory).path)
        }
        guard current.id == id else {
            throw ReconcilerError.lockMismatch(path: fileURL(in: directory).path, given: id, holder: current.summary)
        }
        try FileManager.default.removeItem(at: fileURL(in: directory))
    }

    /// Releases the lock if this holder still has it.
    public func release() {
        guard StateLock.holder(in: file.deletingLastPathComponent())?.id == info.id else { return }
        try? FileManager.default.removeItem(at: file)
    }

    /// Runs `body` holding the lock; releases it whatever happens.
    public static func withLock<T>(
        in directory: URL, operation: String, timeout: Duration = .zero, _ body: () async throws -> T
    ) async throws -> T {
        let lock = try await acquire(in: directory, operation: operation, timeout: timeout)
        defer { lock.release() }
        return try await body()
    }
}

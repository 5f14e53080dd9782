import Foundation
import Reconciler
import Synchronization
import Testing

/// The local state lock: stale locks of dead processes are taken over, live holders are not unlocked by mistake,
/// and a lock file that says nothing can be cleared.
struct StateLockTests {
    func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("provision-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func writeLock(_ info: LockInfo, in folder: URL) throws {
        try JSONEncoder().encode(info).write(to: folder.appendingPathComponent("state.lock"))
    }

    /// A pid no process has: above the kernel's default pid_max.
    static let deadPID: Int32 = 4_194_304 + 17

    @Test func aLockWhoseProcessIsGoneFromThisHostIsTakenOverWithANotice() async throws {
        let folder = try folder()
        var dead = LockInfo.forThisProcess(operation: "apply")
        dead = LockInfo(id: "dead-lock", owner: dead.owner, host: dead.host, pid: Self.deadPID, operation: "apply", created: dead.created)
        try writeLock(dead, in: folder)
        let notes = Mutex<[String]>([])
        let lock = try await StateLock.acquire(in: folder, operation: "apply", notice: { note in notes.withLock { $0.append(note) } })
        #expect(lock.info.pid == getpid())
        #expect(notes.withLock { $0 }.first?.contains("took over the state lock") == true)
        lock.release()
    }

    @Test func unlockRefusesAHolderStillRunningHereUnlessForced() throws {
        let folder = try folder()
        let live = LockInfo.forThisProcess(operation: "apply")
        try writeLock(live, in: folder)
        #expect {
            try StateLock.forceUnlock(in: folder, id: live.id)
        } throws: { error in
            "\(error)".contains("still running on this host") && "\(error)".contains("--force")
        }
        #expect(try StateLock.forceUnlock(in: folder, id: live.id, force: true) == "Unlocked.")
        #expect(StateLock.holder(in: folder) == nil)
    }

    @Test func anEmptyLockFileIsClearedByUnlock() throws {
        let folder = try folder()
        try Data().write(to: folder.appendingPathComponent("state.lock"))
        #expect(try StateLock.forceUnlock(in: folder, id: "anything").contains("unreadable lock file"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("state.lock").path))
    }
}

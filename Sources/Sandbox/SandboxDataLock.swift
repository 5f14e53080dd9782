import Foundation

/// An exclusive hold on a sandbox data folder for as long as one server serves it (`serve.lock`, with `flock`), so two
/// servers never keep two copies of one world and lose each other's writes.
///
/// Invariant: while a `SandboxDataLock` is held, no other one on the same folder can be acquired, in this process or
/// another; the system releases it when its process ends, however it ends.
public final class SandboxDataLock: Sendable {
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Takes the folder (creating it) or throws `SandboxError.dataInUse` naming the process that holds it.
    public static func acquire(_ directory: String) throws -> SandboxDataLock {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let file = folder.appendingPathComponent("serve.lock").path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SandboxError.unwritableWorld(path: directory, reason: "\(error.localizedDescription)")
        }
        let descriptor = open(file, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SandboxError.unwritableWorld(path: file, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw SandboxError.dataInUse(path: directory, holder: holder.isEmpty ? "another process" : holder)
        }
        let text = "pid \(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { write(descriptor, $0, strlen($0)) }
        return SandboxDataLock(descriptor: descriptor)
    }

    /// Lets the folder go.
    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

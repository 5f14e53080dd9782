import Foundation

/// Replaces a file in one step: the bytes go to a temporary file beside it, which is then renamed over it.
///
/// Invariant: a reader sees the old file or the new one, never a part of either.
enum AtomicFile {
    /// - Parameter permissions: the new file's mode, e.g. `0o600` for secrets; nil keeps the process default.
    static func write(_ data: Data, to file: URL, permissions: Int? = nil) throws {
        removeAbandoned(besides: file)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp")
        var attributes: [FileAttributeKey: Any] = [:]
        if let permissions { attributes[.posixPermissions] = permissions }
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: attributes) else {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot write \(temporary.path)"])
        }
        guard rename(temporary.path, file.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: reason])
        }
    }

    /// Removes temporary files of this file left by a process that was killed mid-write (its pid is gone).
    static func removeAbandoned(besides file: URL) {
        let folder = file.deletingLastPathComponent()
        let prefix = ".\(file.lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let pid = name.dropFirst(prefix.count).dropLast(4)
            guard let number = Int32(pid), number != getpid(), kill(number, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}

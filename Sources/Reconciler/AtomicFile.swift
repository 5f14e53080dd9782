import Foundation

/// Replaces a file in one step: the bytes go to a temporary file beside it, which is then renamed over it.
///
/// Invariant: a reader sees the old file or the new one, never a part of either.
enum AtomicFile {
    /// - Parameter permissions: the new file's mode, e.g. `0o600` for secrets; nil keeps the process default.
    static func write(_ data: Data, to file: URL, permissions: Int? = nil) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp")
        var attributes: [FileAttributeKey: Any] = [:]
        if let permissions { attributes[.posixPermissions] = permissions }
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: attributes) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot write \(temporary.path)"])
        }
        guard rename(temporary.path, file.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: reason])
        }
    }
}

import Foundation

/// A simulator's world on disk: one JSON file, replaced atomically (temp file + rename) on every write.
enum WorldFile {
    /// The saved world, or nil when there is no file (or no data folder) yet.
    static func load<Snapshot: Decodable>(_ type: Snapshot.Type, from file: URL?) throws -> Snapshot? {
        guard let file, FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            return try JSONDecoder().decode(Snapshot.self, from: Data(contentsOf: file))
        } catch {
            throw SandboxError.unreadableWorld(path: file.path, reason: "\(error)")
        }
    }

    /// Writes the world; nothing when running without a data folder.
    static func write(_ snapshot: some Encodable, to file: URL?) throws {
        guard let file else { return }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp")
            try encoder.encode(snapshot).write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: reason])
            }
        } catch {
            throw SandboxError.unwritableWorld(path: file.path, reason: "\(error)")
        }
    }
}

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

extension WorldFile {
    /// Applies `change` to a copy of `snapshot` and writes it; `snapshot` takes the copy only once it is on disk,
    /// otherwise it stays as it was and the answer is `failed`'s.
    static func mutate<Snapshot: Encodable, Answer>(
        _ snapshot: inout Snapshot, file: URL?, _ change: (inout Snapshot) -> Answer, failed: (any Error) -> Answer
    ) -> Answer {
        var next = snapshot
        let answer = change(&next)
        do {
            try write(next, to: file)
            snapshot = next
            return answer
        } catch {
            return failed(error)
        }
    }
}

/// A simulated bank's RSA key in the data folder: the private PEM (mode 0600) and its public half beside it.
enum SandboxKeyFile {
    /// The private PEM in `privateFile`, or the one `make` returns, then written with its public half in `publicFile`.
    static func privatePEM(_ privateFile: URL?, publicFile: URL?, make: () throws -> (private: String, public: String)) throws -> String {
        if let privateFile, let pem = try? String(contentsOf: privateFile, encoding: .utf8) { return pem }
        let made = try make()
        if let privateFile, let publicFile {
            try FileManager.default.createDirectory(at: privateFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: privateFile.path, contents: Data(made.private.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: privateFile.path])
            }
            try Data((made.public + "\n").utf8).write(to: publicFile, options: .atomic)
        }
        return made.private
    }
}

import Foundation
import PlanModel

/// Reads the files a manifest names with `${file:PATH}`, only inside the manifest's root: the git repository that holds
/// the manifest, or the manifest's folder when none does.
///
/// Invariant: a file is read only when its real path (every symbolic link resolved) lies inside the root's real path,
/// not within `.git` nor among the secrets kept under `.provision`, and it is a regular file of at most `FileRule.maximumSize` bytes; otherwise
/// `read` throws the `FileRefusal` that says which rule it breaks.
public struct ManifestFiles: Sendable {
    /// The root, every symbolic link resolved.
    public let root: String

    public init(root: URL) {
        self.root = Self.realPath(root.path) ?? root.standardizedFileURL.path
    }

    /// The files of a manifest in `directory`: the root is the nearest folder above it (or itself) holding `.git`,
    /// else `directory`.
    public static func forManifest(in directory: URL) -> ManifestFiles {
        let start = URL(fileURLWithPath: realPath(directory.path) ?? directory.standardizedFileURL.path, isDirectory: true)
        var folder = start
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) { return ManifestFiles(root: folder) }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return ManifestFiles(root: start) }
            folder = parent
        }
    }

    /// True when `path` (every symbolic link resolved, when it exists) is the root or lies inside it.
    public func holds(_ path: String) -> Bool {
        let real = Self.realPath(path) ?? URL(fileURLWithPath: path).standardizedFileURL.path
        return real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// The file's text; nil when it does not exist or is not UTF-8 text.
    public func read(_ path: String) throws -> String? {
        guard let real = Self.realPath(path) else { return nil }
        let base = root.hasSuffix("/") ? root : root + "/"
        guard real.hasPrefix(base) else { throw FileRefusal(.outsideRoot, root: root) }
        if Self.isPrivate(real.dropFirst(base.count).split(separator: "/")) { throw FileRefusal(.privateFolder, root: root) }
        var status = stat()
        guard stat(real, &status) == 0 else { return nil }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw FileRefusal(.notRegularFile, root: root) }
        guard status.st_size <= FileRule.maximumSize else { throw FileRefusal(.tooLarge, root: root) }
        return try? String(contentsOfFile: real, encoding: .utf8)
    }

    /// A path within `.git` (a checkout's credentials), or to the secrets kept under `.provision` (`secrets.json`,
    /// `secrets/`); the rest of `.provision` (a sandbox's public certificate) may be read.
    static func isPrivate(_ components: [Substring]) -> Bool {
        if components.contains(".git") { return true }
        guard let state = components.firstIndex(of: ".provision") else { return false }
        let below = components[(state + 1)...]
        return below.contains("secrets") || below.last == "secrets.json"
    }

    /// The absolute path with every symbolic link, `.` and `..` resolved; nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

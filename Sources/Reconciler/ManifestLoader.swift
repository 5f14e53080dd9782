import Foundation
import PlanModel

/// A manifest with the folder it came from.
public struct LoadedManifest: Sendable {
    public var manifest: Manifest
    /// The folder holding the manifest files; state and the sandbox world live under `.provision/` here.
    public var directory: URL
}

/// Reads a manifest file, or every `*.yaml`/`*.yml` file of a folder, and validates it.
public enum ManifestLoader {
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ManifestError) -> LoadedManifest {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ManifestError([.unreadable(path: path, reason: "no such file or folder")])
        }
        let files: [String]
        let directory: URL
        if isFolder.boolValue {
            directory = URL(fileURLWithPath: path, isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
                path.hasSuffix("/") ? path + $0 : path + "/" + $0
            }
            if files.isEmpty { throw ManifestError([.noManifestFiles(path: path)]) }
        } else {
            directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            files = [path]
        }
        var sources: [ManifestSource] = []
        var problems: [ManifestProblem] = []
        for file in files {
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                sources.append(ManifestSource(path: file, text: text))
            } catch {
                problems.append(.unreadable(path: file, reason: error.localizedDescription))
            }
        }
        if !problems.isEmpty { throw ManifestError(problems) }
        let manifest = try ManifestParser(environment: environment).parse(sources)
        return LoadedManifest(manifest: manifest, directory: directory.standardizedFileURL)
    }
}

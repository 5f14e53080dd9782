import Foundation
import PlanModel

/// A manifest with the folder it came from.
public struct LoadedManifest: Sendable {
    public var manifest: Manifest
    /// The file or folder it was loaded from, as given.
    public var path: String
    /// The folder holding the manifest files.
    public var directory: URL

    public init(manifest: Manifest, path: String, directory: URL) {
        self.manifest = manifest
        self.path = path
        self.directory = directory
    }

    /// Where state lives unless `--state` or `backend:` says otherwise, and where the embedded sandbox's world always
    /// lives: `.provision/` beside the manifest, or `.provision/environments/NAME/` for an environment.
    public var defaultStateDirectory: URL {
        let base = directory.appendingPathComponent(".provision", isDirectory: true)
        guard let environment = manifest.environment else { return base }
        return base.appendingPathComponent("environments", isDirectory: true).appendingPathComponent(environment, isDirectory: true)
    }
}

/// Reads a manifest file, or every `*.yaml`/`*.yml` file of a folder, and validates it.
public enum ManifestLoader {
    /// Loads the manifest with environment `environment` laid over it. A manifest that declares
    /// environments must be given one.
    /// `written`, a file about to be written, stands in for the file of the same path when the folder has one.
    /// With `credentials: .deferred`, an unset variable is a note and its value is left out (`Manifest.deferred`).
    public static func load(
        path: String, environment: String? = nil, catalog: ProviderCatalog, variables: [String: String] = ProcessInfo.processInfo.environment,
        credentials: CredentialResolution = .required, written: ManifestSource? = nil
    ) throws(ManifestError) -> LoadedManifest {
        var (sources, directory) = try read(path)
        if let written {
            sources.removeAll { isSameFile($0.path, written.path) }
            sources.append(written)
        }
        let manifest: Manifest
        do {
            manifest = try parser(catalog, variables, directory, credentials).parse(sources, environment: environment, requireEnvironment: true)
        } catch {
            error.resolved.forEach(SecretScrubber.process.learn)
            throw error
        }
        SecretScrubber.process.learn(manifest)
        return LoadedManifest(manifest: manifest, path: path, directory: directory)
    }

    /// Validates the manifest as each declared environment sees it (or as it is, when it declares none);
    /// a problem common to several environments is reported once, a deferred variable once naming them all.
    /// Returns the manifests and what they noticed, merged the same way.
    public static func validateAll(
        path: String, catalog: ProviderCatalog, variables: [String: String] = ProcessInfo.processInfo.environment,
        credentials: CredentialResolution = .required
    ) throws(ManifestError) -> (manifests: [Manifest], notices: [ManifestProblem]) {
        let (sources, directory) = try read(path)
        var manifests: [Manifest] = []
        var found: [ManifestProblem] = []
        var failed = false
        for result in parser(catalog, variables, directory, credentials).parseEach(sources) {
            switch result {
            case .success(let manifest):
                SecretScrubber.process.learn(manifest)
                manifests.append(manifest)
                found += manifest.notices
            case .failure(let error):
                error.resolved.forEach(SecretScrubber.process.learn)
                found += error.problems
                failed = true
            }
        }
        let problems = ManifestProblem.merged(found)
        if failed { throw ManifestError(problems) }
        return (manifests, ManifestError(problems).problems)
    }

    /// True when both paths name one file, however each is written.
    /// Whether loading the manifest at `manifestPath` reads `file`: the manifest file itself, or a `*.yaml`/`*.yml` file of its folder.
    public static func reads(_ file: String, manifestPath: String) -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: manifestPath, isDirectory: &isFolder) else { return false }
        guard isFolder.boolValue else { return isSameFile(file, manifestPath) }
        let url = URL(fileURLWithPath: file)
        return ["yaml", "yml"].contains(url.pathExtension)
            && isSameFile(url.deletingLastPathComponent().path, URL(fileURLWithPath: manifestPath, isDirectory: true).path)
    }

    public static func isSameFile(_ one: String, _ other: String) -> Bool {
        URL(fileURLWithPath: one).standardizedFileURL.path == URL(fileURLWithPath: other).standardizedFileURL.path
    }

    /// The parser for a manifest in `directory`: `${file:}` reads only inside its root (see `ManifestFiles`).
    static func parser(
        _ catalog: ProviderCatalog, _ variables: [String: String], _ directory: URL, _ credentials: CredentialResolution = .required
    ) -> ManifestParser {
        let files = ManifestFiles.forManifest(in: directory)
        return ManifestParser(catalog: catalog, environment: variables, credentials: credentials, readFile: { try files.read($0) })
    }

    static func read(_ path: String) throws(ManifestError) -> ([ManifestSource], URL) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ManifestError([.unreadable(path: path, reason: "no such file or folder")])
        }
        let files: [String]
        let directory: URL
        if isFolder.boolValue {
            directory = URL(fileURLWithPath: path, isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let prefix = (path == "." || path == "./") ? "" : (path.hasSuffix("/") ? path : path + "/")
            files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { prefix + $0 }
            if files.isEmpty { throw ManifestError([.noManifestFiles(path: path)]) }
        } else {
            directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            files = [path]
        }
        var sources: [ManifestSource] = []
        var problems: [ManifestProblem] = []
        for file in files {
            do {
                sources.append(ManifestSource(path: file, text: try String(contentsOfFile: file, encoding: .utf8)))
            } catch {
                problems.append(.unreadable(path: file, reason: error.localizedDescription))
            }
        }
        if !problems.isEmpty { throw ManifestError(problems) }
        return (sources, directory.standardizedFileURL)
    }
}

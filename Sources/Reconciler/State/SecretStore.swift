import Foundation
import PlanModel

/// Values a run must keep that are secrets (link tokens, OAuth tokens): `secrets.json` beside the state, mode 0600.
///
/// Invariant: nothing here ever reaches `state.json`, a plan file, the journal or any output.
public struct SecretStore: Sendable {
    public let directory: URL
    public let fileName: String

    public init(directory: URL, fileName: String = "secrets.json") {
        self.directory = directory
        self.fileName = fileName
    }

    public var file: URL { directory.appendingPathComponent(fileName) }

    /// The secrets kept for one resource; none when the file is missing or unreadable.
    public func load(_ address: ResourceAddress) -> [String: Sensitive] {
        (all()[address] ?? [:]).mapValues(Sensitive.init)
    }

    /// Serialises read-modify-write of the files within this process (providers refresh in parallel).
    static let writing = NSLock()

    /// Replaces one resource's secrets; an empty set removes them.
    public func save(_ secrets: [String: Sensitive], for address: ResourceAddress) throws {
        try Self.writing.withLock { try write(secrets, for: address) }
    }

    func write(_ secrets: [String: Sensitive], for address: ResourceAddress) throws {
        var everything = all()
        let wanted = secrets.mapValues(\.revealed)
        guard everything[address] ?? [:] != wanted else { return }
        everything[address] = wanted.isEmpty ? nil : wanted
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            if !FileManager.default.fileExists(atPath: directory.path) {
                try FileManager.default.createDirectory(
                    at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            try AtomicFile.write(try encoder.encode(everything), to: file, permissions: 0o600)
        } catch {
            throw ReconcilerError.stateUnwritable(path: file.path, reason: "\(error)")
        }
    }

    func all() -> [ResourceAddress: [String: String]] {
        guard let data = try? Data(contentsOf: file) else { return [:] }
        return (try? JSONDecoder().decode([ResourceAddress: [String: String]].self, from: data)) ?? [:]
    }
}

extension StateBackend {
    /// Secrets that outlive a step (OAuth access and refresh tokens): `secrets/tokens.json` in the local state
    /// folder, folder mode 0700, file mode 0600. Unlike `secrets`, an apply step that finishes does not clear them.
    public var keptSecrets: SecretStore {
        SecretStore(directory: localDirectory.appendingPathComponent("secrets"), fileName: "tokens.json")
    }
}

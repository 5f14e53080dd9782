import Foundation
import PlanModel

/// Values a run must keep that are secrets (link tokens, OAuth tokens): `secrets.json` beside the state, mode 0600.
///
/// Invariant: nothing here ever reaches `state.json`, a plan file, the journal or any output.
public struct SecretStore: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public var file: URL { directory.appendingPathComponent("secrets.json") }

    /// The secrets kept for one resource; none when the file is missing or unreadable.
    public func load(_ address: ResourceAddress) -> [String: Sensitive] {
        (all()[address] ?? [:]).mapValues(Sensitive.init)
    }

    /// Replaces one resource's secrets; an empty set removes them.
    public func save(_ secrets: [String: Sensitive], for address: ResourceAddress) throws {
        var everything = all()
        let wanted = secrets.mapValues(\.revealed)
        guard everything[address] ?? [:] != wanted else { return }
        everything[address] = wanted.isEmpty ? nil : wanted
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
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

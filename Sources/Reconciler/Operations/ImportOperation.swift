import Foundation
import PlanModel

/// Reads one provider's live objects, writes manifest YAML for those the manifest does not declare (to a file, or
/// into the result for standard output), and adopts them into state through the planner and the applier.
///
/// Invariant: the state lock is held and the journal open before any bank is contacted; every adoption is journaled.
public struct ImportOperation: Sendable {
    public let request: ImportRequest
    public let lock: LockPolicy

    public init(_ request: ImportRequest, lock: LockPolicy = LockPolicy()) {
        self.request = request
        self.lock = lock
    }

    public func run(in workspace: Workspace) async throws -> ImportResult {
        try await workspace.locked("import", lock) {
            try await workspace.journaled("import") { journal in
                try await workspace.connected { providers in
                    var state = try await workspace.backend.load()
                    let importer = Importer(providers: providers, catalog: workspace.catalog, store: workspace.backend)
                    return try await importer.run(request, loaded: workspace.loaded, state: &state, journal: journal, write: write)
                }
            }
        }
    }

    /// Writes the YAML to the request's file; for standard output the result carries it to the view.
    func write(_ yaml: String) throws {
        guard request.output != ImportRequest.standardOutput else { return }
        do {
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: request.output), options: .atomic)
        } catch {
            throw ImportProblem.unwritable(path: request.output, reason: FileProblem.reason(error))
        }
    }
}

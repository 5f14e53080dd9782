import ArgumentParser
import Foundation
import PostgresState
import Reconciler

extension StateCommand {
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the saved versions of the state kept by its backend, and in PostgreSQL who took the lock when.",
            discussion: "The local folder keeps the current version and the one before it (state.json.backup); PostgreSQL keeps every version.")

        @OptionGroup var options: ManifestOptions

        @OptionGroup var display: OutputOptions

        func run() async throws {
            try await Terminal.run(display) {
                let backend = try options.backend()
                let versions = try await backend.history()
                guard let head = versions.last else {
                    print("No state saved yet at \(backend.location).")
                    return
                }
                print("State at \(backend.location), lineage \(head.state.lineage):")
                for version in versions {
                    let saved = [version.savedAt, version.savedBy].compactMap { $0 }.joined(separator: " by ")
                    print("  serial \(version.state.serial): \(version.state.resources.count) resource(s)" + (saved.isEmpty ? "" : ", saved \(saved)"))
                }
                guard let database = backend as? PostgresStateBackend else { return }
                print("Locks:")
                for record in try await database.lockHistory() {
                    print("  \(record.info.summary): \(record.status)" + (record.ended.map { " at \($0)" } ?? ""))
                }
            }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the state, with its serial, lineage and the versions kept, to another backend.",
            discussion: """
                --to postgres://USER@HOST:PORT/DATABASE moves a local state into the database (the manifest's backend: \
                gives the schema and name); --to DIR moves it back to a folder. The target must hold no state yet. \
                Both states are locked while copying; the source is left as it was. Afterwards point the manifest at \
                the target (backend:, or --state).
                """)

        @Option(help: "Where to: a postgres:// URL or a folder.")
        var to: String

        @OptionGroup var options: ManifestOptions

        @OptionGroup var lock: LockOptions

        @OptionGroup var display: OutputOptions

        func run() async throws {
            try await Terminal.run(display) {
                let (loaded, source) = try Workspace.load(options)
                let target = try StateBackendChoice.backend(at: to, for: loaded)
                guard target.location != source.location else {
                    throw ValidationError("--to names the state's current backend (\(source.location)); give another one.")
                }
                let timeout = lock.lockTimeout.duration
                let head = try await source.withLock(operation: "state migrate", timeout: timeout, notice: Terminal.notice) {
                    try await target.withLock(operation: "state migrate", timeout: timeout, notice: Terminal.notice) {
                        try await Self.copy(from: source, to: target)
                    }
                }
                print("Migrated state (lineage \(head.lineage), serial \(head.serial), \(head.resources.count) resource(s)) from \(source.location) to \(target.location).")
                print("The source is left as it was. Point the manifest at the new backend (backend: in the manifest, or --state) before the next apply.")
            }
        }

        /// Copies every version the source keeps, then checks the target reads back the same state.
        static func copy(from source: any StateBackend, to target: any StateBackend) async throws -> State {
            let versions = try await source.history().map(\.state)
            guard let head = versions.last else {
                throw ValidationError("There is no state to migrate at \(source.location).")
            }
            try await target.importHistory(versions)
            let copied = try await target.load()
            guard copied == head else {
                throw ValidationError("The state read back from \(target.location) differs from the source; nothing else was changed. Check the target and remove its copy.")
            }
            return head
        }
    }
}

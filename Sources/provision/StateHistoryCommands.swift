import ArgumentParser
import Foundation
import Reconciler
import Rendering

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
                    Terminal.out("No state saved yet at \(backend.location).")
                    return
                }
                Terminal.out("State at \(backend.location), lineage \(head.state.lineage):")
                for version in versions {
                    let saved = TerminalEscape.field([version.savedAt, version.savedBy].compactMap { $0 }.joined(separator: " by "))
                    Terminal.out("  serial \(version.state.serial): \(version.state.resources.count) resource(s)" + (saved.isEmpty ? "" : ", saved \(saved)"))
                }
                let locks = try await backend.lockHistory()
                guard !locks.isEmpty else { return }
                Terminal.out("Locks:")
                for record in locks {
                    Terminal.out("  \(TerminalEscape.field(record.info.summary)): \(record.status)" + (record.ended.map { " at \($0)" } ?? ""))
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
                let workspace = try Workspace.open(options)
                let target = try BackendLocator.backend(at: to, for: workspace.loaded)
                let head = try await StateMigration(from: workspace.backend, to: target, lock: lock.policy).run()
                Terminal.out("Migrated state (lineage \(head.lineage), serial \(head.serial), \(head.resources.count) resource(s)) from \(workspace.backend.location) to \(target.location).")
                Terminal.out("The source is left as it was. Point the manifest at the new backend (backend: in the manifest, or --state) before the next apply.")
            }
        }
    }

    struct JournalCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "journal",
            abstract: "Show the journal: every bank call's intent and outcome, adoptions, confirmations, gates and moves, oldest first.",
            discussion: "The journal is kept by the state's backend: files under .provision/journal for a local state, the journal table beside the state in PostgreSQL.")

        @Option(help: "Only the last N lines.")
        var last: Int?

        @OptionGroup var options: ManifestOptions

        @OptionGroup var display: OutputOptions

        func run() async throws {
            try await Terminal.run(display) {
                let backend = try options.backend()
                var records = try await backend.journalEntries()
                if let last { records = Array(records.suffix(max(0, last))) }
                guard !records.isEmpty else {
                    Terminal.out("No journal lines yet at \(backend.journalLocation).")
                    return
                }
                for record in records { Terminal.out(JournalText.line(record)) }
            }
        }
    }
}

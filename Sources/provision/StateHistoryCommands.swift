import ArgumentParser
import Foundation
import PlanModel
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
            try await Terminal.run(display, invocation: options.invocation) {
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
            try await Terminal.run(display, invocation: options.invocation) {
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
            try await Terminal.run(display, invocation: options.invocation) {
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

extension StateCommand {
    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mv",
            abstract: "Track a resource under another address (a rename), without calling the bank; journaled.",
            discussion: "For a one-off rename; to rename in a pull request the team reviews, write a moved: entry in the manifest instead (docs/refactoring.md).")

        @Argument(help: "The address state tracks the resource under now.")
        var from: String

        @Argument(help: "The address the manifest declares it under.")
        var to: String

        @OptionGroup var options: ManifestOptions

        @OptionGroup var lock: LockOptions

        @OptionGroup var display: OutputOptions

        func run() async throws {
            try await Terminal.run(display, invocation: options.invocation) {
                let request = StateEditRequest.move(from: try Self.address(from), to: try Self.address(to))
                let entry = try await StateEdit(request, lock: lock.policy).run(in: Workspace.open(options))
                print("Moved \(from) to \(to) in state" + (entry.remoteID.map { " (id \($0))" } ?? "") + "; no bank was called.")
            }
        }

        static func address(_ text: String) throws -> ResourceAddress {
            guard let address = ResourceAddress(parsing: text) else {
                throw ValidationError("\(text) is not an address: write INSTANCE.KIND.NAME, or INSTANCE.KIND for a singleton.")
            }
            return address
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract: "Stop managing a resource without deleting it: its state entry is dropped, the object stays at the bank; journaled.",
            discussion: "A resource the manifest still declares is offered for adoption by the next plan; remove it from the manifest too to stop managing it for good.")

        @Argument(help: "The address to forget.")
        var address: String

        @OptionGroup var options: ManifestOptions

        @OptionGroup var lock: LockOptions

        @OptionGroup var display: OutputOptions

        func run() async throws {
            try await Terminal.run(display, invocation: options.invocation) {
                let entry = try await StateEdit(.remove(try Move.address(address)), lock: lock.policy).run(in: Workspace.open(options))
                print("Removed \(address) from state" + (entry.remoteID.map { "; \($0) stays at the bank" } ?? "") + ". No bank was called.")
            }
        }
    }
}

import ArgumentParser
import Banks
import Foundation
import PlanModel
import Reconciler
import ManifestLanguage
import Rendering

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Inspect the state and its journal, remove a lock left by a command that died, or move the state to another backend.",
        subcommands: [List.self, Show.self, Move.self, Remove.self, Unlock.self, History.self, Migrate.self, JournalCommand.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the resources in state with their remote ids.")

        @OptionGroup var options: ManifestOptions

        @OptionGroup var display: OutputOptions

        func run() async throws {
            try await Terminal.run(display, invocation: options.invocation) {
                let state = try await options.backend().load()
                for key in state.resources.keys.sorted() {
                    let entry = state.resources[key]!
                    let id = entry.remoteID.map { TerminalEscape.field($0) } ?? (entry.confirmed != nil ? "(confirmed by a person)" : "-")
                    Terminal.out(TerminalEscape.field(key.description) + "  " + id)
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one resource's recorded id and attributes.")

        @Argument(help: "The resource's address, INSTANCE.KIND.NAME (INSTANCE.KIND for a singleton).")
        var address: String

        @OptionGroup var options: ManifestOptions

        @OptionGroup var display: OutputOptions

        func run() async throws {
            try await Terminal.run(display, invocation: options.invocation) {
                let loaded = try ManifestLoader.load(
                    path: options.path, environment: options.environment, catalog: BankRegistry.all.catalog, credentials: .deferred)
                let state = try await BackendLocator(explicit: options.state).backend(for: loaded).load()
                guard let resource = ResourceAddress(parsing: address), let entry = state.resources[resource] else {
                    throw ReconcilerError.unknownAddress(address: address, known: state.resources.keys.sorted().map(\.description))
                }
                let attributes = Self.kinds(of: resource, in: loaded.manifest, catalog: BankRegistry.all.catalog)
                    .reduce(entry.attributes) { $1.hidingSecrets($0) }
                Terminal.out(TerminalEscape.field(address))
                if let id = entry.remoteID { Terminal.out("  remote_id: \(TerminalEscape.field(id))") }
                if entry.confirmed != nil { Terminal.out("  confirmed: yes") }
                for name in attributes.keys.sorted() {
                    Terminal.out("  \(TerminalEscape.field(name)): \(TerminalEscape.field(attributes[name]!.description, limit: PlanRenderer.lineLimit))")
                }
            }
        }

        /// The kind of `address`: of its provider's type, or of every type that has the kind when the provider left the
        /// manifest, so that whatever state kept of a secret of any of them shows as `(sensitive)`.
        static func kinds(of address: ResourceAddress, in manifest: Manifest, catalog: ProviderCatalog) -> [ResourceKindSchema] {
            let types = manifest.provider(named: address.instance).map { [$0.type] } ?? catalog.typeNames
            return types.compactMap { catalog.kind(address.kind, of: $0) }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the state lock with this id, after the command that held it died or hung.",
            discussion: "In PostgreSQL the server releases a lock when its session ends; for a holder still connected, this ends its database session.")

        @Argument(help: "The lock id shown in the 'State is locked' message.")
        var id: String

        @Flag(help: "Unlock even when the holder still runs on this host.")
        var force = false

        @OptionGroup var options: ManifestOptions

        @OptionGroup var display: OutputOptions

        func run() async throws {
            try await Terminal.run(display, invocation: options.invocation) {
                Terminal.out(try await options.backend().forceUnlock(id: id, force: force))
            }
        }
    }
}

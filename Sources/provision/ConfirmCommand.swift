import ArgumentParser
import Foundation
import Banks
import PlanModel
import Reconciler

struct ConfirmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Record that a person finished a manual step, for the manifest's current values, or a gate of an environment.",
        discussion: "The confirmation is tied to the step's attributes: change them and the step appears again. A gate (gate.NAME, with --env) is recorded with who confirmed it, when, and the note, in the state and the journal.")

    @Argument(help: "The manual step's address, INSTANCE.KIND.NAME (INSTANCE.KIND for a singleton), or gate.NAME of the --env environment.")
    var address: String

    @Option(help: "For a gate: a note kept with the confirmation, e.g. a ticket number.")
    var note: String?

    @OptionGroup var options: ManifestOptions

    @OptionGroup var lock: LockOptions

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display) {
            let (loaded, store) = try Workspace.load(options)
            let message = address.hasPrefix("gate.")
                ? try await confirmGate(String(address.dropFirst(5)), of: loaded.manifest, in: store)
                : try await confirmStep(of: loaded.manifest, in: store)
            print(message)
        }
    }

    /// Records the manual step at `address` as done for its current attributes.
    func confirmStep(of manifest: Manifest, in store: any StateBackend) async throws -> String {
        guard let resource = manifest.resources.first(where: { $0.address.description == address }) else {
            throw ReconcilerError.unknownAddress(address: address, known: manifest.resources.map(\.address.description))
        }
        guard resource.capability == .manual else {
            throw ReconcilerError.notManual(address: address, capability: resource.capability.rawValue)
        }
        try await store.withLock(operation: "confirm", timeout: lock.lockTimeout.duration, notice: Terminal.notice) {
            var state = try await store.load()
            state[resource.address] = StateEntry(attributes: resource.attributes, confirmed: StateStore.digest(of: resource))
            try await store.save(&state)
        }
        return "Recorded: \(address) is done. Plans will not list it again unless its attributes change."
    }

    /// Records gate `name` of the chosen environment as confirmed, by whom, when, with the note.
    func confirmGate(_ name: String, of manifest: Manifest, in store: any StateBackend) async throws -> String {
        let gate = try Self.gate(name, of: manifest)
        let confirmation = GateConfirmation(by: Self.person(), at: ISO8601DateFormatter().string(from: Date()), note: note)
        try await store.withLock(operation: "confirm", timeout: lock.lockTimeout.duration, notice: Terminal.notice) {
            try await Self.record(gate, confirmation, in: store)
        }
        return "Recorded: gate \(gate.name) of \(manifest.environment ?? "") is confirmed by \(confirmation.by)."
    }

    /// The gate of the chosen environment with this name.
    static func gate(_ name: String, of manifest: Manifest) throws -> Gate {
        guard let environment = manifest.environment else { throw ReconcilerError.unknownGate(name: name, environment: nil, known: []) }
        guard let gate = manifest.gates.first(where: { $0.name == name }) else {
            throw ReconcilerError.unknownGate(name: name, environment: environment, known: manifest.gates.map(\.name))
        }
        return gate
    }

    /// Who confirms: the login name of the person running provision.
    static func person() -> String {
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
    }

    /// The confirmation in the state (under `gates`) and in a journal of its own.
    static func record(_ gate: Gate, _ confirmation: GateConfirmation, in store: any StateBackend) async throws {
        var state = try await store.load()
        state.gates[gate.name] = confirmation
        try await store.save(&state)
        let journal = try Journal(stateDirectory: store.localDirectory)
        journal.recordGate(gate.name, confirmation)
        journal.close()
    }
}

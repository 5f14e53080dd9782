import ArgumentParser
import Banks
import PlanModel
import Reconciler

struct ConfirmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Record that a person finished a manual step, for the manifest's current values.",
        discussion: "The confirmation is tied to the step's attributes: change them and the step appears again.")

    @Argument(help: "The manual step's address, INSTANCE.KIND.NAME (INSTANCE.KIND for a singleton).")
    var address: String

    @OptionGroup var options: ManifestOptions

    @OptionGroup var lock: LockOptions

    func run() async throws {
        try await Terminal.run {
            let (loaded, store) = try Workspace.load(options)
            guard let resource = loaded.manifest.resources.first(where: { $0.address.description == address }) else {
                throw ReconcilerError.unknownAddress(address: address, known: loaded.manifest.resources.map(\.address.description))
            }
            guard resource.capability == .manual else {
                throw ReconcilerError.notManual(address: address, capability: resource.capability.rawValue)
            }
            try await store.withLock(operation: "confirm", timeout: lock.lockTimeout.duration, notice: Terminal.notice) {
                var state = try await store.load()
                state[resource.address] = StateEntry(attributes: resource.attributes, confirmed: StateStore.digest(of: resource))
                try await store.save(&state)
            }
            print("Recorded: \(address) is done. Plans will not list it again unless its attributes change.")
        }
    }
}

import ArgumentParser
import Foundation
import ManifestLanguage
import PlanModel
import Reconciler

struct ConfirmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Record that a person finished a manual step, for the manifest's current values, or a gate of an environment.",
        discussion: "The confirmation is tied to the step's attributes: change them and the step appears again. Each confirmation is recorded with who confirmed it, when, and the note, in the state and the journal; provision runbook shows them. A gate (gate.NAME, with --env) needs no credentials (an unset variable is a note), since they may be what the gate waits for.")

    @Argument(help: "The manual step's address, INSTANCE.KIND.NAME (INSTANCE.KIND for a singleton), or gate.NAME of the --env environment.")
    var address: String

    @Option(help: "A note kept with the confirmation, e.g. a ticket number.")
    var note: String?

    @OptionGroup var options: ManifestOptions

    @OptionGroup var lock: LockOptions

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            let request = ConfirmRequest(address: address, note: note, by: Self.person(), lock: lock.policy)
            switch try await ConfirmOperation(request).run(in: Workspace.open(options, credentials: request.credentials)) {
            case .step(let address):
                Terminal.out("Recorded: \(address) is done. Plans will not list it again unless its attributes change.")
            case .gate(let name, let environment, let confirmation):
                Terminal.out("Recorded: gate \(name) of \(environment) is confirmed by \(confirmation.by).")
            }
        }
    }

    /// Who confirms: the login name of the person running provision.
    static func person() -> String {
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
    }
}

import ArgumentParser
import Foundation
import PlanModel
import Reconciler

struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Finish a person's browser step (an OAuth consent) from the URL the browser was redirected to.",
        discussion: "For a callback that apply cannot listen on: give the URL with --redirect-url, or on standard input. The state of the authorization apply started is checked, then the code is exchanged.")

    @Argument(help: "The step's address, INSTANCE.KIND.NAME.")
    var address: String

    @Option(name: .customLong("redirect-url"), help: "The URL the browser was redirected to (default: read from standard input).")
    var redirectURL: String?

    @OptionGroup var options: ManifestOptions

    @OptionGroup var lock: LockOptions

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display) {
            let redirect = try redirectURL ?? Self.readRedirect()
            let locking = LockRequest(operation: "consent", timeout: lock.lockTimeout.duration, signals: nil)
            try await Workspace.with(options, lock: locking) { workspace in
                try await complete(in: workspace, redirect: redirect)
            }
            print("Recorded: \(address) is done.")
        }
    }

    /// Refreshes (so the step's provider knows the resources it refers to), finishes the step, records it in state.
    func complete(in workspace: Workspace, redirect: String) async throws {
        guard let resource = workspace.manifest.resources.first(where: { $0.address.description == address }) else {
            throw ReconcilerError.unknownAddress(address: address, known: workspace.manifest.resources.map(\.address.description))
        }
        guard resource.capability == .interactive else {
            throw ValidationError("\(address) is \(resource.capability.rawValue), not a step finished in a browser.")
        }
        var state = try await workspace.store.load()
        let plan = try await workspace.planner.plan(workspace.manifest, state: state)
        guard let provider = workspace.providers[resource.address.instance] else { throw ReconcilerError.noProvider(instance: resource.address.instance) }
        var remoteIDs = state.resources.compactMapValues(\.remoteID)
        for change in plan.changes { remoteIDs[change.address] = change.remoteID ?? remoteIDs[change.address] }
        let pending = PendingStep(record: state[resource.address]?.attributes ?? [:], secrets: workspace.store.secrets.load(resource.address))
        let applied = try await provider.complete(
            resource, redirect: redirect, context: ApplyContext(remoteIDs: remoteIDs, recorded: state[resource.address]), pending: pending)
        state[resource.address] = StateEntry(remoteID: applied.remoteID, attributes: applied.attributes, protected: resource.protected)
        try workspace.store.secrets.save([:], for: resource.address)
        try await workspace.store.save(&state)
    }

    static func readRedirect() throws -> String {
        guard let line = readLine()?.trimmingCharacters(in: .whitespaces), !line.isEmpty else {
            throw ValidationError("Give the URL you were redirected to with --redirect-url URL, or on standard input.")
        }
        return line
    }
}

import Foundation
import PlanModel

/// Progress of an apply, one event per step; the CLI turns them into lines.
public enum ApplyEvent: Sendable {
    case started(Change)
    case finished(Change, AppliedResource?, seconds: Double)
    case failed(Change, message: String)
    case skipped(Change, because: ResourceAddress)
    case waiting(Change)
}

/// What an apply did.
public struct ApplyReport: Sendable {
    public var applied: [ResourceAddress] = []
    public var failed: [(address: ResourceAddress, message: String)] = []
    public var skipped: [ResourceAddress] = []
    public var waiting: [ResourceAddress] = []
    public var notes: [String] = []

    public var converged: Bool { failed.isEmpty && skipped.isEmpty && waiting.isEmpty }
}

/// Executes a plan in order and saves state after every resource, so an interrupted apply loses nothing.
public struct Applier: Sendable {
    public let providers: [String: any Provider]
    public let store: StateStore

    public init(providers: [String: any Provider], store: StateStore) {
        self.providers = providers
        self.store = store
    }

    /// Refuses a plan with errors. A failed step skips the steps that depend on it; the others go on.
    public func apply(
        _ plan: Plan, manifest: Manifest, state: inout State, onEvent: @Sendable (ApplyEvent) -> Void = { _ in }
    ) async throws -> ApplyReport {
        let errors = plan.changes.filter { $0.action.isError }.count
        guard errors == 0 else { throw ReconcilerError.planHasErrors(count: errors) }
        let resources = Dictionary(uniqueKeysWithValues: manifest.resources.map { ($0.address, $0) })
        var context = ApplyContext(remoteIDs: [:])
        for (key, entry) in state.resources {
            if let address = ResourceAddress(parsing: key), let id = entry.remoteID { context.remoteIDs[address] = id }
        }
        for change in plan.changes {
            if let id = change.remoteID { context.remoteIDs[change.address] = id }
        }
        var report = ApplyReport()
        var broken = Set<ResourceAddress>()
        for change in plan.changes {
            if change.action == .delete || change.action == .forget {
                try await remove(change, context: context, state: &state, report: &report, onEvent: onEvent)
                continue
            }
            guard let resource = resources[change.address] else { continue }
            if let blocker = change.dependencies.first(where: broken.contains) {
                broken.insert(change.address)
                report.skipped.append(change.address)
                onEvent(.skipped(change, because: blocker))
                continue
            }
            switch change.action {
            case .create, .update, .replace:
                guard let provider = providers[change.address.instance] else {
                    throw ReconcilerError.noProvider(instance: change.address.instance)
                }
                onEvent(.started(change))
                let start = Date()
                do {
                    let applied = try await provider.apply(change, resource: resource, context: context)
                    context.remoteIDs[change.address] = applied.remoteID
                    state[change.address] = StateEntry(remoteID: applied.remoteID, attributes: applied.attributes, protected: resource.protected)
                    try store.save(&state)
                    report.applied.append(change.address)
                    report.notes += applied.notes
                    onEvent(.finished(change, applied, seconds: Date().timeIntervalSince(start)))
                } catch let error as ReconcilerError {
                    throw error
                } catch {
                    broken.insert(change.address)
                    report.failed.append((change.address, "\(error)"))
                    onEvent(.failed(change, message: "\(error)"))
                }
            case .adopt, .check:
                guard let id = change.remoteID else { continue }
                let recorded = state[change.address]
                let entry = StateEntry(remoteID: id, attributes: recorded?.attributes ?? resource.attributes, protected: resource.protected)
                if recorded != entry {
                    state[change.address] = entry
                    try store.save(&state)
                }
                if change.action == .adopt {
                    report.applied.append(change.address)
                    onEvent(.finished(change, nil, seconds: 0))
                }
            case .manual, .interactive:
                report.waiting.append(change.address)
                onEvent(.waiting(change))
            case .noop, .missing, .conflict, .orphan, .delete, .forget:
                continue
            }
        }
        return report
    }

    /// Deletes through the API, or (for a kind the bank cannot delete) drops the entry and leaves the steps to a person.
    func remove(
        _ change: Change, context: ApplyContext, state: inout State, report: inout ApplyReport, onEvent: (ApplyEvent) -> Void
    ) async throws {
        let start = Date()
        if change.action == .delete {
            guard let provider = providers[change.address.instance] else {
                throw ReconcilerError.noProvider(instance: change.address.instance)
            }
            onEvent(.started(change))
            do {
                try await provider.delete(change, context: context)
            } catch {
                report.failed.append((change.address, "\(error)"))
                onEvent(.failed(change, message: "\(error)"))
                return
            }
        }
        state[change.address] = nil
        try store.save(&state)
        report.applied.append(change.address)
        report.notes += change.steps
        onEvent(.finished(change, nil, seconds: Date().timeIntervalSince(start)))
    }
}

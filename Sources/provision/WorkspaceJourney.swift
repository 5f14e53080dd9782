import Banks
import Foundation
import PlanModel
import Reconciler

extension Workspace {
    /// The chosen environment's journey: its gates (confirmed in its state) and, with `promotes_from:`, the upstream
    /// environment's manifest and the state of its default folder. Nil when the environment declares neither.
    func journey(state: State) throws -> JourneyCheck? {
        guard manifest.environment != nil, !manifest.gates.isEmpty || manifest.promotesFrom != nil else { return nil }
        let upstream = try manifest.promotesFrom.map { environment -> (manifest: Manifest, state: State) in
            let other = try ManifestLoader.load(path: loaded.path, environment: environment, catalog: BankRegistry.all.catalog)
            return (other.manifest, try StateStore(directory: other.defaultStateDirectory).load())
        }
        return JourneyCheck(manifest: manifest, state: state, upstream: upstream)
    }
}

extension Plan {
    /// The plan with the journey's lines as notes of the environment (key `(journey)`, never a provider's name).
    func noting(_ journey: JourneyCheck) -> Plan {
        Plan(changes: changes, providers: providers, drift: drift, environment: environment, notes: notes.merging(["(journey)": journey.notes]) { $1 })
    }
}

extension Workspace {
    /// Keeps what an apply in an environment did, for the environments that promote from it.
    func recordApply(_ report: ApplyReport, state: inout State) async throws {
        guard manifest.environment != nil else { return }
        state.lastApply = ApplyRecord(report: report, manifest: manifest, at: Date())
        try await store.save(&state)
    }
}

import Foundation
import PlanModel

/// What an apply did, kept in its environment's state for the environments that promote from it.
///
/// Invariant: `digests` holds the definition digest (`DefinitionDigest.of(_:)`, secrets masked) of every resource the
/// apply's manifest declared; endpoints are provider settings and never part of it.
public struct ApplyRecord: Codable, Sendable, Equatable {
    public var converged: Bool
    public var at: String
    public var digests: [String: String]

    public init(converged: Bool, at: String, digests: [String: String]) {
        self.converged = converged
        self.at = at
        self.digests = digests
    }

    public init(report: ApplyReport, manifest: Manifest, at: Date) {
        self.init(
            converged: report.converged, at: ISO8601DateFormatter().string(from: at),
            digests: Dictionary(uniqueKeysWithValues: manifest.resources.map { ($0.address.description, DefinitionDigest.of($0)) }))
    }
}

/// Where an environment stands on its journey: gates not yet confirmed, and (with `promotes_from:`) the shared
/// resources the upstream environment has not proven by a converged apply of the same definitions.
public struct JourneyCheck: Sendable, Equatable {
    public var environment: String
    /// In the manifest's order.
    public var unconfirmedGates: [Gate]
    public var confirmedGates: [String]
    public var promotesFrom: String?
    /// Address → why it is not proven upstream, sorted by address.
    public var unproven: [(address: String, reason: String)]
    /// How the person ran provision: the confirm commands of the notes and the refusal are written for it.
    public var invocation: Invocation

    public static func == (lhs: JourneyCheck, rhs: JourneyCheck) -> Bool {
        lhs.environment == rhs.environment && lhs.unconfirmedGates == rhs.unconfirmedGates && lhs.confirmedGates == rhs.confirmedGates
            && lhs.promotesFrom == rhs.promotesFrom && lhs.unproven.map(\.address) == rhs.unproven.map(\.address)
            && lhs.unproven.map(\.reason) == rhs.unproven.map(\.reason) && lhs.invocation == rhs.invocation
    }

    /// The check of `manifest`'s environment against its state and, for promotion, the upstream manifest and state.
    public init(manifest: Manifest, state: State, upstream: (manifest: Manifest, state: State)?, invocation: Invocation) {
        environment = manifest.environment ?? ""
        self.invocation = invocation
        unconfirmedGates = manifest.gates.filter { state.gates[$0.name] == nil }
        confirmedGates = manifest.gates.map(\.name).filter { state.gates[$0] != nil }
        promotesFrom = manifest.promotesFrom
        unproven = []
        guard let promotesFrom, let upstream else { return }
        let shared = Set(upstream.manifest.resources.map(\.address))
        for resource in manifest.resources where shared.contains(resource.address) {
            let address = resource.address.description
            if let reason = Self.unproven(resource, upstream: upstream.state.lastApply, from: promotesFrom) {
                unproven.append((address, reason))
            }
        }
    }

    static func unproven(_ resource: Resource, upstream: ApplyRecord?, from environment: String) -> String? {
        guard let upstream else { return "never applied in \(environment)" }
        guard upstream.converged else { return "\(environment)'s last apply (\(upstream.at)) did not converge" }
        guard let digest = upstream.digests[resource.address.description] else { return "not in \(environment)'s last apply" }
        return digest == DefinitionDigest.of(resource) ? nil : "its definition differs from the one \(environment) last applied"
    }

    public var blocksApply: Bool { !unconfirmedGates.isEmpty || !unproven.isEmpty }

    /// The plan's lines about the journey, for a note under the plan; empty when there is nothing to say.
    public var notes: [String] {
        var notes: [String] = []
        for gate in unconfirmedGates {
            notes.append("gate \(gate.name) of \(environment) is not confirmed: \(gate.instructions) Then: \(invocation.confirm(gate.address))")
        }
        if !confirmedGates.isEmpty { notes.append("gates confirmed in \(environment): " + confirmedGates.joined(separator: ", ")) }
        if let promotesFrom {
            notes += unproven.isEmpty
                ? ["promotes from \(promotesFrom): every shared resource converged there with the same definition"]
                : unproven.map { "not yet proven in \(promotesFrom): \($0.address) (\($0.reason))" }
        }
        return notes
    }

    /// Why apply refuses, or nil when it may run.
    public var refusal: ReconcilerError? {
        guard blocksApply else { return nil }
        return .journeyIncomplete(
            environment: environment,
            gates: unconfirmedGates.map { (gate: "\($0.name): \($0.instructions)", confirm: invocation.confirm($0.address)) },
            promotesFrom: promotesFrom, unproven: unproven.map { "\($0.address) (\($0.reason))" })
    }
}

/// Assembles a `Runbook` from a manifest, the changes planned for it (or, offline, read from state) and the
/// confirmations state holds. Pure: the same inputs give the same runbook.
///
/// Gates come first in their declared order; then every resource a person acts on (manual, interactive, observed), in
/// plan order (dependencies first), with a step after every step it waits for.
public struct RunbookBuilder: Sendable {
    public var manifest: Manifest
    /// The changes of every resource, marked by `Waits`, in any order.
    public var changes: [Change]
    public var catalog: ProviderCatalog
    /// How the person ran provision: every record command is written for it.
    public var invocation: Invocation
    /// The environment's confirmed gates, by name.
    public var confirmedGates: [String: Confirmation]
    /// Confirmations of manual steps that cover the resource's current definition.
    public var confirmations: [ResourceAddress: Confirmation]
    /// Providers whose changes come from state and the manifest, not from the bank.
    public var unverified: [UnverifiedProvider]

    public init(
        manifest: Manifest, changes: [Change], catalog: ProviderCatalog, invocation: Invocation,
        confirmedGates: [String: Confirmation] = [:], confirmations: [ResourceAddress: Confirmation] = [:], unverified: [UnverifiedProvider] = []
    ) {
        self.manifest = manifest
        self.changes = changes
        self.catalog = catalog
        self.invocation = invocation
        self.confirmedGates = confirmedGates
        self.confirmations = confirmations
        self.unverified = unverified
    }

    public func runbook() -> Runbook {
        let ordered = Plan.ordered(changes)
        let resources = Dictionary(manifest.resources.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        let people = Self.inOrder(ordered.filter { resources[$0.address].map(Self.isPersonStep) ?? false })
        let applied = ordered.filter { $0.action.callsAPI || $0.action == .interactive }.map(\.address.description)
        let gates = manifest.gates.map { gate in
            RunbookStep(
                address: gate.address, kind: .gate, provider: nil, instructions: [gate.instructions], owner: gate.owner,
                status: confirmedGates[gate.name].map { RunbookStatus(state: .done, confirmation: $0) } ?? RunbookStatus(state: .pending),
                record: invocation.confirm(gate.address), unblocks: applied)
        }
        let offline = Set(unverified.map(\.provider))
        let steps = people.compactMap { change -> RunbookStep? in
            guard let resource = resources[change.address] else { return nil }
            return step(change, resource: resource, unblocks: unblocks(of: change.address, in: ordered), verified: !offline.contains(resource.address.instance))
        }
        return Runbook(environment: manifest.environment, manifestPath: invocation.manifestPath, steps: gates + steps, unverified: unverified)
    }

    /// The step of one resource a person acts on.
    func step(_ change: Change, resource: Resource, unblocks: [String], verified: Bool) -> RunbookStep {
        let kind: RunbookStep.Kind = switch resource.capability {
        case .manual: .manual
        case .interactive: .interactive
        default: .observed
        }
        let schema = catalog.kind(resource.address.kind, of: resource.providerType)
        let record = switch kind {
        case .manual, .gate: invocation.confirm(resource.address.description)
        case .interactive: invocation.apply
        case .observed: invocation.plan
        }
        var status = Self.status(of: change, confirmation: confirmations[resource.address])
        status.verified = verified
        return RunbookStep(
            address: resource.address.description, kind: kind, provider: resource.address.instance,
            instructions: schema?.steps(for: resource, invocation: invocation) ?? change.steps, owner: resource.owner, status: status,
            record: record, unblocks: unblocks)
    }

    /// Where a person's step stands from its change: done, pending, or waiting for the steps it waits for.
    static func status(of change: Change, confirmation: Confirmation?) -> RunbookStatus {
        var evidence = change.probe.map { probe in probe.parts.map(probe.line) } ?? []
        switch change.action {
        case .manual, .missing, .conflict:
            if change.probe == nil, let reason = change.reason { evidence.append(reason) }
            return RunbookStatus(state: .pending, evidence: evidence)
        case .interactive:
            return change.waitsFor.isEmpty
                ? RunbookStatus(state: .pending, evidence: evidence)
                : RunbookStatus(state: .waiting, evidence: evidence, waitsFor: change.waitsFor.map(\.description))
        default:
            if change.probe == nil, let id = change.remoteID { evidence.append("at the bank as \(id)") }
            return RunbookStatus(state: .done, evidence: evidence, confirmation: confirmation)
        }
    }

    /// The addresses waiting on `address`: changes that wait for it, and those that refer to it, in plan order.
    func unblocks(of address: ResourceAddress, in ordered: [Change]) -> [String] {
        ordered.filter { $0.address != address && ($0.waitsFor.contains(address) || $0.dependencies.contains(address)) }.map(\.address.description)
    }

    /// A resource a person acts on: a manual, interactive or observed one.
    static func isPersonStep(_ resource: Resource) -> Bool {
        resource.capability != .managed
    }

    /// `changes` (in plan order) with each after every change it waits for that is among them; otherwise kept in order.
    static func inOrder(_ changes: [Change]) -> [Change] {
        let present = Set(changes.map(\.address))
        var placed = Set<ResourceAddress>()
        var remaining = changes
        var result: [Change] = []
        while !remaining.isEmpty {
            let index = remaining.firstIndex { change in change.waitsFor.allSatisfy { placed.contains($0) || !present.contains($0) } } ?? 0
            let next = remaining.remove(at: index)
            placed.insert(next.address)
            result.append(next)
        }
        return result
    }
}

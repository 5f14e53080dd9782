/// Waiting is a dependency: a change that needs a person's step not done yet waits for it instead of being tried.
///
/// A change waits for the steps its dependencies are (an `interactive` change, or a `manual` one still missing), the steps they wait
/// for, and, for a kind that declares `callsNeed`, the pending steps of those kinds in its provider. Pure: the same
/// plan gives the same waits.
public enum Waits {
    /// The changes with `waitsFor` set, in the same order.
    public static func marking(_ changes: [Change], catalog: ProviderCatalog, providers: [String: String]) -> [Change] {
        var pending: [ResourceAddress: [ResourceAddress]] = [:]
        var pendingByKind: [String: [ResourceAddress]] = [:]
        for change in changes where isPersonStep(change) {
            pending[change.address] = [change.address]
            pendingByKind["\(change.address.instance).\(change.address.kind)", default: []].append(change.address)
        }
        // Without a person step nothing waits.
        guard !pending.isEmpty else { return changes }
        var marked = changes
        // Plan order puts dependencies first, so what a dependency waits for is known when its dependents are reached.
        for index in marked.indices {
            let change = marked[index]
            guard acts(change) else { continue }
            var blockers = Set(change.dependencies.flatMap { pending[$0] ?? [] })
            let type = providers[change.address.instance] ?? ""
            for kind in catalog.kind(change.address.kind, of: type)?.callsNeed ?? [] {
                blockers.formUnion(pendingByKind["\(change.address.instance).\(kind)"] ?? [])
            }
            blockers.remove(change.address)
            guard !blockers.isEmpty else { continue }
            marked[index].waitsFor = blockers.sorted()
            pending[change.address, default: []] += marked[index].waitsFor
        }
        return marked
    }

    /// A step a person has not finished that others cannot do without: a browser step, or a manual step a probe found
    /// missing (or that no probe checks). A manual step whose probe verified everything it can see, and that only
    /// waits for a confirmation of what no probe sees (a plan's name), holds nothing back.
    static func isPersonStep(_ change: Change) -> Bool {
        switch change.action {
        case .interactive: return true
        case .manual: return change.probe.map { !$0.missing.isEmpty } ?? true
        default: return false
        }
    }

    /// The change would call a bank or start a person's step.
    static func acts(_ change: Change) -> Bool {
        change.action.callsAPI || change.action == .interactive
    }
}

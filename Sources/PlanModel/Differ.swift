/// Compares the desired resources with what refresh observed and decides an action for each.
///
/// Synchronous and pure: the same inputs give the same changes, sorted by address.
/// A resource that left the manifest is deleted only when `allowDelete` is set and it is not protected.
public struct Differ: Sendable {
    /// Where kinds' immutability, deletability and person steps come from.
    public let catalog: ProviderCatalog
    /// How the person ran provision: the commands in person steps are written for it.
    public let invocation: Invocation

    public init(catalog: ProviderCatalog, invocation: Invocation = Invocation()) {
        self.catalog = catalog
        self.invocation = invocation
    }

    public func changes(desired: [Resource], observed: Observed, allowDelete: Bool = false) -> [Change] {
        var changes = Concurrently.map(desired) { change(for: $0, observed: observed) }
        changes += observed.orphans.map { change(for: $0, allowDelete: allowDelete) }
        // A manifest's resources come in address order; sorting them again would take a buffer of half the changes.
        if !changes.isInAddressOrder {
            changes.sort { $0.address < $1.address }
        }
        return changes
    }

    /// What changed at the bank since the last apply: live values against state's, per attribute,
    /// for tracked resources only; a tracked resource gone from the bank is drift too. Sorted by address.
    public func drift(observed: Observed) -> [Drift] {
        observed.tracking.keys.sorted().compactMap { address in
            guard let recorded = observed.recorded(address), let observation = observed.live[address] else { return nil }
            switch observation {
            case .absent:
                return Drift(address: address, gone: true, attributeChanges: [])
            case .present(_, let live):
                let changes = recorded.keys.sorted().compactMap { name -> AttributeChange? in
                    guard let before = recorded[name], let after = live[name], before != after,
                          !before.isSensitive, !after.isSensitive else { return nil }
                    return AttributeChange(name: name, before: before, after: after)
                }
                return changes.isEmpty ? nil : Drift(address: address, gone: false, attributeChanges: changes)
            case .confirmed, .unconfirmed, .ambiguous, .duplicated, .probed, .contested:
                return nil
            }
        }
    }

    func change(for orphan: Orphan, allowDelete: Bool) -> Change {
        let kind = catalog.kind(orphan.address.kind, of: orphan.providerType)
        var change = Change(address: orphan.address, action: .orphan, remoteID: orphan.remoteID, before: kind?.hidingSecrets(orphan.attributes) ?? orphan.attributes)
        if orphan.protected {
            change.reasons = [.leftManifest, .protected]
            change.reason = "left the manifest but is marked protect: true, so it is never deleted; remove it from state by hand if it is gone"
        } else if !allowDelete {
            change.reasons = [.leftManifest, .deletesNotAllowed]
            change.reason = "left the manifest; plan and apply with --allow-delete to delete it"
        } else if kind?.deletable == true {
            change.action = .delete
            change.reasons = [.leftManifest]
            change.reason = "left the manifest"
        } else {
            change.reasons = [.leftManifest]
            change.action = .forget
            change.reason = "left the manifest; the bank has no API to delete it, so it is dropped from state"
            change.steps = kind?.removal(of: orphan) ?? []
        }
        return change
    }

    func change(for resource: Resource, observed: Observed) -> Change {
        let observation = observed.live[resource.address] ?? .absent
        let tracked = observed.remoteID(resource.address)
        var change = Change(address: resource.address, action: .noop, dependencies: resource.dependencies, after: resource.attributes)
        let kind = catalog.kind(resource.address.kind, of: resource.providerType)
        if case .present(_, let live) = observation { change.before = live }

        if case .ambiguous(let candidates) = observation {
            change.action = .conflict
            change.reasons = [.severalMatch(candidates: candidates.sorted())]
            change.reason = "several objects at the bank match: \(candidates.sorted().joined(separator: ", "))"
            change.steps = ["Record the right one in state or rename the others at the bank, then plan again."]
            return change
        }
        if case .contested(let id, let others) = observation {
            change.action = .conflict
            change.reasons = [.contested(with: others.sorted())]
            change.remoteID = id
            let names = ([resource.address] + others).map(\.description).sorted()
            change.reason = "the bank object \(id) is matched by \(names.joined(separator: " and ")); one bank object stands for one resource only"
            change.steps = ["Make the natural keys of \(names.joined(separator: " and ")) differ, or track \(id) for the right one with provision state mv, then plan again."]
            return change
        }
        if case .duplicated(let id, let live, let others) = observation {
            change.action = .conflict
            change.reasons = [.duplicatedAtBank(others: others.sorted())]
            change.remoteID = id
            change.before = live
            change.reason = "state tracks \(id), and the bank also holds \(others.sorted().joined(separator: ", ")) with the same natural key: duplicates at the bank"
            change.steps = ["Keep \(id) and close or rename \(others.sorted().joined(separator: ", ")) at the bank (or move state to the one to keep), then plan again."]
            return change
        }

        switch resource.capability {
        case .observed:
            if case .present(let id, _) = observation {
                change.action = .check
                change.remoteID = id
            } else {
                change.action = .missing
                change.steps = kind?.steps(for: resource, invocation: invocation) ?? []
            }
        case .manual, .interactive:
            person(&change, resource: resource, observation: observation, tracked: tracked, kind: kind)
        case .managed:
            managed(&change, resource: resource, observation: observation, tracked: tracked, recorded: observed.recorded(resource.address))
        }
        return change
    }

    /// A manual or interactive resource: done (adopted when state does not track it yet), or a step for a person.
    /// A probed one is done when its probe and a person's confirmation cover every part.
    func person(_ change: inout Change, resource: Resource, observation: Observation, tracked: String?, kind: ResourceKindSchema?) {
        switch observation {
        case .present(let id, _):
            change.remoteID = id
            if tracked == nil {
                change.action = .adopt
                change.reasons = [.notInState(remoteID: id)]
                change.reason = "done at the bank as \(id); recorded in state"
            }
        case .confirmed:
            change.action = .noop
        case .probed(let result):
            change.probe = result
            change.reason = result.summary
            guard !result.isDone else { return }
            change.action = .manual
            change.steps = kind?.steps(for: resource, invocation: invocation) ?? []
            change.attributeChanges = additions(resource)
        case .absent, .unconfirmed, .ambiguous, .duplicated, .contested:
            change.action = resource.capability == .manual ? .manual : .interactive
            change.steps = kind?.steps(for: resource, invocation: invocation) ?? []
            change.attributeChanges = additions(resource)
        }
    }

    /// A managed resource: create it, change it in place, replace it, adopt it, or leave it.
    func managed(_ change: inout Change, resource: Resource, observation: Observation, tracked: String?, recorded: [String: Value]?) {
        switch observation {
        case .present(let id, let live):
            change.remoteID = id
            change.attributeChanges = differences(resource, live: live)
            let forcing = change.attributeChanges.filter(\.forcesReplacement).map(\.name)
            if !forcing.isEmpty {
                change.action = .replace
                change.reasons = [.forcesReplacement(attributes: forcing)]
                replacement(&change, forcing: forcing, resource: resource, recorded: recorded ?? [:])
            } else if !change.attributeChanges.isEmpty {
                change.action = .update
                change.reasons = [.attributesDiffer(attributes: change.attributeChanges.map(\.name))]
            } else if tracked == nil {
                change.action = .adopt
                change.reasons = [.notInState(remoteID: id)]
                change.reason = "exists at the bank as \(id) but not in state"
            }
        case .absent, .confirmed, .unconfirmed, .ambiguous, .duplicated, .probed, .contested:
            change.action = .create
            change.attributeChanges = additions(resource)
            if let tracked {
                change.reasons = [.goneAtBank(remoteID: tracked)]
                change.reason = "in state as \(tracked) but gone from the bank"
            }
        }
    }

    /// How a replace goes: delete first when the new object keeps the old one's natural key (the bank would refuse
    /// the same key twice) and the bank can delete; otherwise create first, then delete the old object, or, when the
    /// bank has no API to delete it, leave it for a person, whose steps the plan shows now.
    func replacement(_ change: inout Change, forcing: [String], resource: Resource, recorded: [String: Value]) {
        guard let kind = catalog.kind(resource.address.kind, of: resource.providerType) else { return }
        let keyChanges = !Set(forcing).isDisjoint(with: kind.naturalKey)
        if kind.deletable {
            change.replacement = keyChanges ? .createThenDelete : .deleteThenCreate
            return
        }
        change.replacement = .createThenForget
        // The old object as the bank shows it, then as state last recorded it (a number the list does not show).
        var old = change.before ?? [:]
        old.merge(recorded) { live, _ in live }
        let orphan = Orphan(address: resource.address, providerType: resource.providerType, remoteID: change.remoteID, attributes: old)
        let id = change.remoteID.map { " (\($0))" } ?? ""
        change.reason = "\(kind.name) cannot be deleted through the bank's API: the old object\(id) stays at the bank after the new one is made"
        change.steps = kind.removal(of: orphan)
    }

    func additions(_ resource: Resource) -> [AttributeChange] {
        resource.attributes.keys.sorted().map { AttributeChange(name: $0, before: nil, after: resource.attributes[$0]) }
    }

    /// Differences over the attributes both sides know; an attribute the bank cannot read back is not compared. A
    /// secret the bank shows (whole, or masked as a handler reads it) differs unless it is the desired one: a handler
    /// that can tell a masked secret matches returns the desired value itself.
    func differences(_ resource: Resource, live: [String: Value]) -> [AttributeChange] {
        let kind = catalog.kind(resource.address.kind, of: resource.providerType)
        return resource.attributes.keys.sorted().compactMap { name in
            guard let desired = resource.attributes[name], let current = live[name] else { return nil }
            if desired.sameContent(as: current) { return nil }
            let immutable = kind?.attribute(name)?.immutable ?? false
            return AttributeChange(name: name, before: current, after: desired, forcesReplacement: immutable)
        }
    }
}

import PlanModel

/// Finds the live object that stands for a desired resource and reads it the way the differ compares it.
///
/// By id when state tracks the resource (a tracked object missing from the list is fetched by id where the
/// kind can, else it is gone); otherwise by the kind's natural key among objects no other resource has claimed.
struct LiveMatcher {
    let kind: ResourceKindSchema
    let handler: any KindHandler
    let known: RemoteIDs
    let recorded: StateEntry?

    func observe(_ resource: Resource, in live: [LiveObject], claimed: Set<String>) async throws -> Observation {
        let found: LiveObject
        switch try await locate(resource, in: live, claimed: claimed) {
        case .one(let object): found = object
        case .none: return .absent
        case .several(let ids): return .ambiguous(candidates: ids)
        }
        var attributes = try await handler.observe(found, desired: resource)
        for field in kind.naturalKey {
            guard case .string(let text)? = attributes[field], let wanted = resource.attributes[field],
                  Resource.normalise(text) == Resource.normalise(wanted.revealedText) else { continue }
            attributes[field] = wanted
        }
        for attribute in kind.attributes {
            guard case .reference = attribute.type else { continue }
            attributes[attribute.name] = reference(attribute.name, of: found, desired: resource)
        }
        return .present(remoteID: found.id, attributes: attributes)
    }

    enum Located {
        case one(LiveObject)
        case none
        case several([String])
    }

    func locate(_ resource: Resource, in live: [LiveObject], claimed: Set<String>) async throws -> Located {
        if kind.isSingleton { return live.first.map(Located.one) ?? .none }
        if let id = recorded?.remoteID {
            if let object = live.first(where: { $0.id == id }) { return .one(object) }
            guard let fetching = handler as? any Fetching else { return .none }
            return try await fetching.fetch(id: id, desired: resource).map(Located.one) ?? .none
        }
        let candidates = live.filter { !claimed.contains($0.id) && matchesNaturalKey($0, resource) }
        switch (candidates.count, handler.matching) {
        case (0, _): return .none
        case (1, _), (_, .anyNaturalKey): return .one(candidates[0])
        default: return .several(candidates.map(\.id))
        }
    }

    /// Every natural-key field agrees, compared without regard to case and spacing; a reference compares bank ids.
    /// A field the manifest leaves out, or the bank does not report, does not rule an object out.
    func matchesNaturalKey(_ object: LiveObject, _ resource: Resource) -> Bool {
        guard !kind.naturalKey.isEmpty else { return false }
        return kind.naturalKey.allSatisfy { field in
            if case .reference? = kind.attribute(field)?.type {
                guard let live = object.references[field], let wanted = known[resource.references[field]] else { return true }
                return live == wanted
            }
            guard let wanted = resource.attributes[field], let live = object.attributes[field] else { return true }
            return Resource.normalise(live.revealedText) == Resource.normalise(wanted.revealedText)
        }
    }

    /// A reference read back as the name the manifest uses: the desired one when the bank points at it,
    /// another resource's name when it points elsewhere, and state's (or the manifest's) when the bank cannot say.
    func reference(_ field: String, of object: LiveObject, desired: Resource) -> Value? {
        guard let live = object.references[field] else { return recorded?.attributes[field] ?? desired.attributes[field] }
        if live == known[desired.references[field]] { return desired.attributes[field] }
        let other = known.ids.first { $0.value == live && $0.key.kind == desired.references[field]?.kind }?.key
        return .string(other?.name ?? live)
    }

    /// Kinds in an order where every kind comes after the kinds its references point to.
    static func refreshOrder(_ kinds: [ResourceKindSchema]) -> [ResourceKindSchema] {
        var ordered: [ResourceKindSchema] = []
        var remaining = kinds
        while !remaining.isEmpty {
            let done = Set(ordered.map(\.name))
            let index = remaining.firstIndex { kind in
                kind.attributes.allSatisfy { attribute in
                    guard case .reference(let target) = attribute.type else { return true }
                    return done.contains(target) || target == kind.name
                }
            } ?? 0
            ordered.append(remaining.remove(at: index))
        }
        return ordered
    }
}

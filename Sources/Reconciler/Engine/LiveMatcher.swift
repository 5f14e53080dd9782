import Foundation
import PlanModel
import Synchronization

/// Finds the live object that stands for a desired resource and reads it the way the differ compares it.
///
/// By id when state tracks the resource (a tracked object missing from the list is fetched by id where the
/// kind can, else it is gone); otherwise by the kind's natural key among objects no other resource has claimed.
struct LiveMatcher {
    let kind: ResourceKindSchema
    let handler: any KindHandler
    let known: RemoteIDs
    let recorded: StateEntry?

    func observe(_ resource: Resource, in live: LiveIndex, claims: Claims) async throws -> Observation {
        let found: LiveObject
        switch try await locate(resource, in: live, claims: claims) {
        case .one(let object): found = object
        case .none: return .absent
        case .several(let ids): return .ambiguous(candidates: ids)
        }
        let attributes = try await read(found, desired: resource)
        let others = duplicates(of: found, for: resource, in: live, claims: claims)
        guard others.isEmpty else { return .duplicated(remoteID: found.id, attributes: attributes, others: others) }
        return .present(remoteID: found.id, attributes: attributes)
    }

    /// Other unclaimed objects with the tracked object's natural key: what a create the bank committed twice leaves.
    func duplicates(of found: LiveObject, for resource: Resource, in live: LiveIndex, claims: Claims) -> [String] {
        guard recorded?.remoteID == found.id, !kind.isSingleton, handler.matching == .uniqueNaturalKey else { return [] }
        return live.candidates(for: resource).filter {
            $0.id != found.id && !claims.isClaimed($0.id, by: resource.address) && matchesNaturalKey($0, resource)
        }.map(\.id)
    }

    /// The object as the differ compares it: the handler's reading, natural-key text as the manifest wrote it,
    /// references as names, a sensitive attribute as a secret whatever the bank shows of it.
    func read(_ found: LiveObject, desired resource: Resource) async throws -> [String: Value] {
        var attributes = try await handler.observe(found, desired: resource)
        for field in kind.naturalKey {
            guard case .string(let text)? = attributes[field], let wanted = resource.attributes[field],
                  Resource.normalise(text) == Resource.normalise(wanted.revealedText) else { continue }
            attributes[field] = wanted
        }
        for attribute in kind.attributes {
            if attribute.sensitive, let value = attributes[attribute.name], !value.isSensitive {
                // What a bank shows of a secret (e.g. its last characters) is part of the secret: it never prints.
                attributes[attribute.name] = .sensitive(Sensitive(value.revealedText))
            }
            guard case .reference = attribute.type else { continue }
            attributes[attribute.name] = reference(attribute.name, of: found, desired: resource)
        }
        return attributes
    }

    enum Located {
        case one(LiveObject)
        case none
        case several([String])
    }

    func locate(_ resource: Resource, in live: LiveIndex, claims: Claims) async throws -> Located {
        if kind.isSingleton { return live.objects.first.map(Located.one) ?? .none }
        if let id = recorded?.remoteID {
            if let object = live.object(id: id) { return .one(object) }
            guard let fetching = handler as? any Fetching else { return .none }
            return try await fetching.fetch(id: id, desired: resource, known: known).map(Located.one) ?? .none
        }
        let candidates = live.candidates(for: resource).filter {
            !claims.isClaimed($0.id, by: resource.address) && matchesNaturalKey($0, resource)
        }
        switch (candidates.count, handler.matching) {
        case (0, _): return .none
        case (1, _), (_, .anyNaturalKey): return .one(candidates[0])
        default: return .several(candidates.map(\.id))
        }
    }

    /// Every natural-key field agrees, compared without regard to case and spacing; a reference compares bank ids.
    /// An object the bank reports without one of the fields matches nothing (it is `LiveIndex.unusable`); a field the
    /// manifest leaves out does not rule an object out.
    func matchesNaturalKey(_ object: LiveObject, _ resource: Resource) -> Bool {
        guard !kind.naturalKey.isEmpty, LiveIndex.hasNaturalKey(object, kind: kind) else { return false }
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

    /// The normalised values of the natural key's plain (non-reference) fields, or nil when one is unknown.
    static func plainKey(_ values: (String) -> Value?, kind: ResourceKindSchema) -> String? {
        var parts: [String] = []
        for field in kind.naturalKey {
            if case .reference? = kind.attribute(field)?.type { continue }
            guard let value = values(field) else { return nil }
            parts.append(Resource.normalise(value.revealedText))
        }
        return parts.joined(separator: "|")
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

/// The live objects of one kind, indexed by id and by the plain fields of their natural key, so matching
/// a desired resource costs a lookup, not a scan.
///
/// Invariant: every id appears once (a list that repeats one is refused before it is indexed); an object the bank
/// reports without a plain natural-key field is `unusable`: it can be tracked by its id, but matches no resource by key.
/// The tables hold positions in `objects`, and the key table the key's hash: candidates share a hash, and the matcher
/// compares each in full. (Tables of objects by key text cost 13 MB for 50,000, held while the kind is matched.)
struct LiveIndex {
    let objects: [LiveObject]
    let byID: [String: Int]
    /// The first usable object whose plain natural key has the hash.
    let firstByKey: [Int: Int]
    /// For each object, the next usable one whose key has the same hash (in list order); -1 for none.
    let nextByKey: [Int]
    /// Objects lacking a natural-key field, in list order.
    let unusable: [LiveObject]
    let kind: ResourceKindSchema

    init(_ objects: [LiveObject], kind: ResourceKindSchema) {
        self.objects = objects
        self.kind = kind
        var byID: [String: Int] = [:]
        byID.reserveCapacity(objects.count)
        for (position, object) in objects.enumerated() where byID[object.id] == nil { byID[object.id] = position }
        self.byID = byID
        var firstByKey: [Int: Int] = [:]
        var nextByKey = [Int](repeating: -1, count: objects.count)
        var unusable: [LiveObject] = []
        // From the end, so each chain runs in list order.
        for (position, object) in objects.enumerated().reversed() {
            if Self.hasNaturalKey(object, kind: kind), let key = LiveMatcher.plainKey({ object.attributes[$0] }, kind: kind) {
                nextByKey[position] = firstByKey.updateValue(position, forKey: key.hashValue) ?? -1
            } else if !kind.naturalKey.isEmpty {
                unusable.append(object)
            }
        }
        self.firstByKey = firstByKey
        self.nextByKey = nextByKey
        self.unusable = unusable.reversed()
    }

    /// The bank reports every plain field of the kind's natural key for the object, each not blank. (A reference
    /// some banks' lists cannot give — which master an account is under — is compared when the bank gives it.)
    static func hasNaturalKey(_ object: LiveObject, kind: ResourceKindSchema) -> Bool {
        missingFields(of: object, kind: kind).isEmpty
    }

    /// The plain fields of the natural key the bank left out (or sent blank) for `object`.
    static func missingFields(of object: LiveObject, kind: ResourceKindSchema) -> [String] {
        kind.naturalKey.filter { field in
            if case .reference? = kind.attribute(field)?.type { return false }
            return (object.attributes[field]?.revealedText.trimmingCharacters(in: .whitespaces) ?? "").isEmpty
        }
    }

    func object(id: String) -> LiveObject? { byID[id].map { objects[$0] } }

    /// The objects that may match the resource's natural key, in list order; the matcher checks each in full.
    func candidates(for resource: Resource) -> [LiveObject] {
        guard let key = LiveMatcher.plainKey({ resource.attributes[$0] }, kind: kind) else {
            return objects.filter { Self.hasNaturalKey($0, kind: kind) }
        }
        var found: [LiveObject] = []
        var position = firstByKey[key.hashValue] ?? -1
        while position >= 0 {
            found.append(objects[position])
            position = nextByKey[position]
        }
        return found
    }
}

/// Which bank ids state already gives to which address.
///
/// The table is built when first asked. A refresh asks only for an object the list shows with a resource's natural
/// key that is not the resource's own, so a plan of tracked resources mostly never builds it (8 MB for 50,000).
final class Claims: Sendable {
    let state: [ResourceAddress: StateEntry]
    private let owner = Mutex<[String: ResourceAddress]?>(nil)

    init(_ state: [ResourceAddress: StateEntry]) {
        self.state = state
    }

    /// True when another address holds the id.
    func isClaimed(_ id: String, by address: ResourceAddress) -> Bool {
        owner.withLock { owner in
            if owner == nil { owner = Self.owners(state) }
            return owner?[id].map { $0 != address } ?? false
        }
    }

    static func owners(_ state: [ResourceAddress: StateEntry]) -> [String: ResourceAddress] {
        var owner: [String: ResourceAddress] = [:]
        for (address, entry) in state {
            if let id = entry.remoteID { owner[id] = address }
        }
        return owner
    }
}

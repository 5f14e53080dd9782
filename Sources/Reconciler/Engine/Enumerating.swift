import PlanModel

/// Lists every object of the kind the bank holds, whatever the manifest declares: what `provision import` reads.
///
/// A kind whose handler does not adopt it cannot be imported; the import says so for the kind.
public protocol Enumerating: KindHandler {
    /// Every object the bank shows, in the manifest's attribute names. `known` holds the ids of the objects of other
    /// kinds read so far (the manifest's and the imported ones), e.g. the companies whose linked accounts to list.
    func enumerate(known: RemoteIDs) async throws -> Enumeration
}

/// What a kind's listing gave: the objects, and why any it showed cannot be imported.
public struct Enumeration: Sendable {
    public var objects: [LiveObject]
    /// One sentence for each object left out, saying what a person writes by hand instead.
    public var leftOut: [String]

    public init(objects: [LiveObject], leftOut: [String] = []) {
        self.objects = objects
        self.leftOut = leftOut
    }
}

/// The live objects of a provider that the manifest does not declare, each given an address.
public struct LiveInventory: Sendable {
    /// Sorted by address.
    public var objects: [(address: ResourceAddress, object: LiveObject)] = []
    /// Objects and kinds that cannot be imported, each with what to do instead; in kind order.
    public var notes: [String] = []
    /// Every id known once the inventory is taken: the manifest's, state's and the imported objects'.
    public var known = RemoteIDs()

    public init() {}
}

/// A kind whose list call shows every object whatever the manifest declares: enumerating it is listing it.
public protocol WholeListing: Enumerating {}

extension WholeListing {
    public func enumerate(known: RemoteIDs) async throws -> Enumeration {
        Enumeration(objects: try await list([], known: known))
    }
}

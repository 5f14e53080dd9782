import PlanModel

/// The manifest's resources found by address: each one's position in the manifest's array, not a copy of it.
///
/// A dictionary of addresses to resources held a second copy of every resource (23 MB for 50,000 in an apply).
public struct ResourceIndex: Sendable {
    private let resources: [Resource]
    private let positions: [ResourceAddress: Int]

    public init(_ resources: [Resource] = []) {
        self.resources = resources
        var positions: [ResourceAddress: Int] = [:]
        positions.reserveCapacity(resources.count)
        for (position, resource) in resources.enumerated() where positions[resource.address] == nil {
            positions[resource.address] = position
        }
        self.positions = positions
    }

    public subscript(address: ResourceAddress) -> Resource? {
        positions[address].map { resources[$0] }
    }

    /// Every resource, in the order given.
    public var all: [Resource] { resources }
}

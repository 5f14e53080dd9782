import PlanModel

/// The manifest's resources found by address: each one's position in the manifest's array, not a copy of it.
///
/// A dictionary of addresses to resources held a second copy of every resource (23 MB for 50,000 in an apply). Resources
/// in strictly increasing address order (a manifest's, and any part of them) are found by binary search, with no table:
/// a table of positions cost 7 MB for 50,000, held through a whole refresh. Any other order is indexed by a table whose
/// position for an address is its first.
public struct ResourceIndex: Sendable {
    private let resources: [Resource]
    /// Positions by address; nil when `resources` are in strictly increasing address order.
    private let positions: [ResourceAddress: Int]?

    public init(_ resources: [Resource] = []) {
        self.resources = resources
        guard !Self.isStrictlyIncreasing(resources) else {
            positions = nil
            return
        }
        var positions: [ResourceAddress: Int] = [:]
        positions.reserveCapacity(resources.count)
        for (position, resource) in resources.enumerated() where positions[resource.address] == nil {
            positions[resource.address] = position
        }
        self.positions = positions
    }

    public subscript(address: ResourceAddress) -> Resource? {
        guard let positions else { return searched(address) }
        return positions[address].map { resources[$0] }
    }

    /// Every resource, in the order given.
    public var all: [Resource] { resources }

    /// The resource at `address` by binary search of the increasing addresses.
    private func searched(_ address: ResourceAddress) -> Resource? {
        var low = 0
        var high = resources.count
        while low < high {
            let middle = (low + high) / 2
            if resources[middle].address < address { low = middle + 1 } else { high = middle }
        }
        return low < resources.count && resources[low].address == address ? resources[low] : nil
    }

    static func isStrictlyIncreasing(_ resources: [Resource]) -> Bool {
        zip(resources, resources.dropFirst()).allSatisfy { $0.address < $1.address }
    }
}

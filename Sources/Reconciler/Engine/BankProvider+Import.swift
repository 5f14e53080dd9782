import Foundation
import PlanModel

extension BankProvider {
    public var importing: (any Inventorying)? { self }

    /// Why `kind` cannot be imported, or nil when its handler lists every object.
    public func importRefusal(_ kind: String) -> String? {
        guard let schema = schema.kind(kind) else { return nil }
        if handlers[kind] is any Enumerating { return nil }
        switch schema.capability {
        case .manual:
            return "\(bank) has no API to read \(kind) back (a person sets it in the bank's portal): write it in the manifest by hand"
        case .managed, .observed, .interactive:
            return "\(bank)'s API cannot list every \(kind): write them in the manifest by hand"
        }
    }

    /// The live objects of `kinds` that no resource of the manifest stands for, read in dependency order and named.
    ///
    /// - Parameters:
    ///   - claimed: bank ids the manifest's resources and state already give to addresses.
    ///   - declared: the manifest's addresses; an object state gives to an address outside them keeps that address.
    public func inventory(kinds: [String], claimed: RemoteIDs, declared: Set<ResourceAddress>) async throws -> LiveInventory {
        var inventory = LiveInventory()
        inventory.known = claimed
        for kind in LiveMatcher.refreshOrder(schema.kinds) where kinds.contains(kind.name) {
            guard let handler = handlers[kind.name] as? any Enumerating else {
                inventory.notes.append("\(kind.name): \(importRefusal(kind.name) ?? "cannot be imported")")
                continue
            }
            let listed = try await handler.enumerate(known: inventory.known)
            inventory.notes += listed.leftOut
            inventory.known.listed[kind.name] = listed.objects
            let namer = ImportNamer(instance: name, kind: kind, known: inventory.known, declared: declared)
            for (address, object) in namer.addresses(for: listed.objects) {
                inventory.objects.append((address, object))
                inventory.known.ids[address] = object.id
            }
        }
        inventory.objects.sort { $0.address < $1.address }
        return inventory
    }
}

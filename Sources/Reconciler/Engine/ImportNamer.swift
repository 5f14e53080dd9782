import Foundation
import PlanModel

/// Gives imported objects addresses: the one state already gives the object's id, else a name made from its
/// natural key (`ACME Trading JSC` → `acme-trading-jsc`), made unique with `-2`, `-3`... Objects the manifest
/// declares are left out.
/// A bank account `KE TOAN` under master `main` becomes `main-ke-toan`; a link of company `acme` to 0123 `acme-0123`.
struct ImportNamer {
    let instance: String
    let kind: ResourceKindSchema
    let known: RemoteIDs
    let declared: Set<ResourceAddress>

    func addresses(for objects: [LiveObject]) -> [(ResourceAddress, LiveObject)] {
        let owners = Dictionary(known.ids.filter { $0.key.kind == kind.name }.map { ($0.value, $0.key) }) { first, _ in first }
        var taken = Set(declared.filter { $0.instance == instance && $0.kind == kind.name }.compactMap(\.name))
        taken.formUnion(owners.values.compactMap(\.name))
        var named: [(ResourceAddress, LiveObject)] = []
        var fresh: [(String, LiveObject)] = []
        for object in objects {
            if let owner = owners[object.id] {
                if !declared.contains(owner) { named.append((owner, object)) }
            } else if kind.isSingleton {
                if !declared.contains(ResourceAddress(instance: instance, kind: kind.name)) {
                    named.append((ResourceAddress(instance: instance, kind: kind.name), object))
                }
            } else {
                fresh.append((base(for: object), object))
            }
        }
        for (base, object) in fresh.sorted(by: { ($0.0, $0.1.id) < ($1.0, $1.1.id) }) {
            var candidate = base
            var number = 2
            while taken.contains(candidate) {
                candidate = "\(base)-\(number)"
                number += 1
            }
            taken.insert(candidate)
            named.append((ResourceAddress(instance: instance, kind: kind.name, name: candidate), object))
        }
        return named
    }

    /// A name from the natural key: the names its references point to, then its plain fields; else the bank id.
    func base(for object: LiveObject) -> String {
        var plain: [String] = []
        var referenced: [String] = []
        for field in kind.naturalKey {
            if case .reference(let target)? = kind.attribute(field)?.type {
                let id = object.references[field]
                if let name = known.ids.first(where: { $0.key.kind == target && $0.value == id })?.key.name { referenced.append(name) }
            } else if let value = object.attributes[field]?.revealedText, !value.isEmpty {
                plain.append(value)
            }
        }
        let parts = plain.isEmpty && referenced.isEmpty ? [object.id] : referenced + plain
        let slug = Self.slug(parts.joined(separator: " "))
        return slug.isEmpty ? Self.slug(object.id).isEmpty ? "imported" : Self.slug(object.id) : slug
    }

    /// Lower-case ASCII letters and digits, other runs as one `-`; accents dropped (`KẾ TOÁN` → `ke-toan`).
    static func slug(_ text: String) -> String {
        let folded = text.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var output = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                output.unicodeScalars.append(scalar)
            } else if !output.isEmpty, output.last != "-" {
                output.append("-")
            }
        }
        while output.hasSuffix("-") { output.removeLast() }
        return output.lowercased()
    }
}

import PlanModel
import ManifestLanguage

/// Live objects as manifest resources: settable attributes only, references as names, secrets as `${env:...}`.
struct ImportWriter {
    struct Secret {
        var variable: String
        /// What the bank shows of it (e.g. the last four characters), used only to adopt it in this run.
        var live: String
        var note: String
    }

    let schema: ProviderTypeSchema
    let known: RemoteIDs
    var resources: [WrittenResource] = []
    var secrets: [Secret] = []
    var notes: [String] = []

    mutating func add(_ object: LiveObject, at address: ResourceAddress) {
        guard let kind = schema.kind(address.kind) else { return }
        var attributes: [String: Value] = [:]
        var found: [Secret] = []
        for attribute in kind.attributes where attribute.presence != .computed {
            if case .reference(let target) = attribute.type {
                let id = object.references[attribute.name]
                let name = known.ids.first { $0.key.kind == target && $0.value == id }?.key.name
                if let name { attributes[attribute.name] = .string(name) }
            } else if attribute.sensitive, let live = object.attributes[attribute.name] {
                let variable = Self.variable(address, attribute.name)
                attributes[attribute.name] = .sensitive(Sensitive("", shownAs: "${env:\(variable)}"))
                found.append(Secret(
                    variable: variable, live: live.revealedText,
                    note: "\(address).\(attribute.name) is a secret the bank does not show: set \(variable) to it before plan."))
            } else if let value = object.attributes[attribute.name] {
                attributes[attribute.name] = value
            }
        }
        if let missing = kind.attributes.first(where: { $0.presence == .required && attributes[$0.name] == nil }) {
            notes.append(Self.leftOut(object, address: address, missing: missing))
            return
        }
        secrets += found
        resources.append(WrittenResource(address: address, attributes: attributes))
    }

    /// Why an object is not written: a required attribute the bank does not show, or a reference to an object not imported.
    static func leftOut(_ object: LiveObject, address: ResourceAddress, missing: AttributeSchema) -> String {
        if case .reference(let target) = missing.type {
            guard let id = object.references[missing.name] else {
                return "\(address) (id \(object.id)) is not imported: the bank does not say which of \(target) its \(missing.name) is; declare it in the manifest by hand."
            }
            return "\(address) (id \(object.id)) is not imported: its \(missing.name) is \(target) id \(id), which neither the manifest nor this import names; declare that \(target) or import it too."
        }
        return "\(address) (id \(object.id)) is not imported: the bank does not show its \(missing.name); declare it in the manifest by hand."
    }

    /// `INSTANCE_KIND_ATTRIBUTE` (with the name for a named resource), upper case, other characters as `_`.
    static func variable(_ address: ResourceAddress, _ attribute: String) -> String {
        let text = [address.instance, address.kind, address.name, attribute].compactMap { $0 }.joined(separator: "_")
        return String(text.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }
}

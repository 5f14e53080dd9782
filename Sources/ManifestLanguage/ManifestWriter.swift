import Yams
import PlanModel

/// One resource as a manifest writes it: references as the names they point to, secrets as `.sensitive` values
/// shown as the `${env:NAME}` reference to write.
public struct WrittenResource: Sendable, Equatable {
    public var address: ResourceAddress
    public var attributes: [String: Value]

    public init(address: ResourceAddress, attributes: [String: Value]) {
        self.address = address
        self.attributes = attributes
    }
}

/// Writes resources as manifest YAML: one section per provider instance, kinds, names and keys sorted.
///
/// Invariant: the same resources give the same text; a string loads back as exactly itself (every `${` in it written as
/// the literal `$${`, so text from a bank is never read as a variable or a file); a `.sensitive` value is never written,
/// only the reference it is shown as (`${env:NAME}`), or `(sensitive)`.
public enum ManifestWriter {
    /// The YAML text, `header` lines first as `#` comments; ends with a newline.
    public static func yaml(_ resources: [WrittenResource], header: [String] = []) -> String {
        var sections: [String: [String: Any]] = [:]
        for resource in resources {
            let body = resource.attributes.mapValues(plain)
            if let name = resource.address.name {
                var kind = sections[resource.address.instance]?[resource.address.kind] as? [String: Any] ?? [:]
                kind[name] = body
                sections[resource.address.instance, default: [:]][resource.address.kind] = kind
            } else {
                sections[resource.address.instance, default: [:]][resource.address.kind] = body
            }
        }
        let comments = header.map { "# \($0)\n" }.joined()
        guard !sections.isEmpty else { return comments }
        let text = (try? Yams.dump(object: sections, width: -1, allowUnicode: true, sortKeys: true)) ?? ""
        return comments + text
    }

    /// A value as YAML's core types; a secret never reaches the text.
    static func plain(_ value: Value) -> Any {
        switch value {
        case .string(let text): return literal(text)
        case .integer(let number): return number
        case .boolean(let flag): return flag
        case .sensitive(let secret): return secret.description
        case .list(let items): return items.map(plain)
        case .object(let fields): return fields.mapValues(plain)
        }
    }

    /// Text as the manifest language reads it back unchanged: `${` written as `$${`.
    public static func literal(_ text: String) -> String {
        text.contains("${") ? text.replacingOccurrences(of: "${", with: "$${") : text
    }
}

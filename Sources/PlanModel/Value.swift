/// An attribute value in the manifest, in state or read back from a provider.
public indirect enum Value: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case sensitive(Sensitive)
    case list([Value])
    case object([String: Value])

    /// The value as the plan shows it: strings quoted, secrets as `(sensitive)`, object keys sorted.
    public var description: String {
        switch self {
        case .string(let text): return "\"\(text)\""
        case .integer(let number): return String(number)
        case .boolean(let flag): return String(flag)
        case .sensitive(let secret): return secret.description
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { "\($0): \(fields[$0]!.description)" }.joined(separator: ", ") + "}"
        }
    }

    /// The text of a scalar, secrets included; only for sending to a provider.
    public var revealedText: String {
        switch self {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .boolean(let flag): return String(flag)
        case .sensitive(let secret): return secret.revealed
        case .list, .object: return description
        }
    }

    /// The text shown to people: secrets as `(sensitive)` (or their reference), strings unquoted.
    public var displayText: String {
        if case .string(let text) = self { return text }
        return description
    }

    /// True when both hold the same content, a `.sensitive` value compared by its text: a value written with
    /// `${env:}` is the string the bank holds when their texts are equal.
    public func sameContent(as other: Value) -> Bool {
        switch (self, other) {
        case (.sensitive(let secret), .string(let text)), (.string(let text), .sensitive(let secret)): return secret.revealed == text
        case (.sensitive(let one), .sensitive(let two)): return one.revealed == two.revealed
        case (.list(let one), .list(let two)): return one.count == two.count && zip(one, two).allSatisfy { $0.sameContent(as: $1) }
        case (.object(let one), .object(let two)):
            return one.count == two.count && one.allSatisfy { key, value in two[key].map { value.sameContent(as: $0) } ?? false }
        default: return self == other
        }
    }

    /// True when the value is or holds a secret.
    public var isSensitive: Bool {
        switch self {
        case .sensitive: return true
        case .list(let items): return items.contains(where: \.isSensitive)
        case .object(let fields): return fields.values.contains(where: \.isSensitive)
        case .string, .integer, .boolean: return false
        }
    }
}

extension Value: Codable {
    /// Decodes plain JSON. Secrets are never stored, so none decode as `.sensitive`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Strings first: they are most values, and a JSON string decodes as nothing else, so no error is made
        // (and thrown away) for each of them.
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .boolean(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else if let items = try? container.decode([Value].self) {
            self = .list(items)
        } else {
            self = .object(try container.decode([String: Value].self))
        }
    }

    /// Encodes the value; a secret encodes as the text `(sensitive)` (or the reference it was written as), never as itself.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .boolean(let flag): try container.encode(flag)
        case .sensitive(let secret): try container.encode(secret.description)
        case .list(let items): try container.encode(items)
        case .object(let fields): try container.encode(fields)
        }
    }
}

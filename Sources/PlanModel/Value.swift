/// An attribute value in the manifest, in state or read back from a provider.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case sensitive(Sensitive)

    /// The value as the plan shows it: strings quoted, secrets as `(sensitive)`.
    public var description: String {
        switch self {
        case .string(let text): return "\"\(text)\""
        case .integer(let number): return String(number)
        case .boolean(let flag): return String(flag)
        case .sensitive: return "(sensitive)"
        }
    }

    /// The text of the value, secrets included; only for sending to a provider.
    public var revealedText: String {
        switch self {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .boolean(let flag): return String(flag)
        case .sensitive(let secret): return secret.revealed
        }
    }

    /// The text shown to people: secrets as `(sensitive)`, strings unquoted.
    public var displayText: String {
        if case .string(let text) = self { return text }
        return description
    }

    public var isSensitive: Bool {
        if case .sensitive = self { return true }
        return false
    }
}

extension Value: Codable {
    /// Decodes a plain JSON scalar. Secrets are never stored, so none decode as `.sensitive`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .boolean(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes the value; a secret encodes as the text `(sensitive)`, never as itself.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .boolean(let flag): try container.encode(flag)
        case .sensitive: try container.encode("(sensitive)")
        }
    }
}

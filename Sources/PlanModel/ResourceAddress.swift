/// Where a resource lives in the manifest: `INSTANCE.KIND.NAME`, or `INSTANCE.KIND` for a singleton kind.
///
/// Encoded as its text, also as a dictionary key, so state keyed by address reads as `"bank.accounts.payroll": {...}`.
public struct ResourceAddress: Hashable, Sendable, Comparable, CustomStringConvertible, Codable, CodingKeyRepresentable,
    ExpressibleByStringLiteral {
    /// What an instance, kind section or resource name may be: ASCII letters, digits, _ and -, starting with a letter or digit.
    public static let namePattern = "^[A-Za-z0-9][A-Za-z0-9_-]*$"

    public var instance: String
    public var kind: String
    public var name: String?

    public init(instance: String, kind: String, name: String? = nil) {
        self.instance = instance
        self.kind = kind
        self.name = name
    }

    /// Parses `a.b.c` or `a.b`; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(instance: parts[0], kind: parts[1], name: parts.count == 3 ? parts[2] : nil)
    }

    public var description: String {
        name.map { "\(instance).\(kind).\($0)" } ?? "\(instance).\(kind)"
    }

    /// The order of `description`; addresses of one kind (most comparisons in a sort) compare by name alone.
    public static func < (lhs: ResourceAddress, rhs: ResourceAddress) -> Bool {
        guard lhs.instance == rhs.instance, lhs.kind == rhs.kind else { return lhs.description < rhs.description }
        switch (lhs.name, rhs.name) {
        case let (left?, right?): return left < right
        case (nil, _?): return true
        case (_, nil): return false
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = ResourceAddress(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a resource address: \(text)"))
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var codingKey: any CodingKey { AddressKey(stringValue: description) }

    public init?<T: CodingKey>(codingKey: T) {
        self.init(parsing: codingKey.stringValue)
    }

    /// A literal address, e.g. in tests; an invalid one is a programming error.
    public init(stringLiteral text: String) {
        guard let address = ResourceAddress(parsing: text) else { preconditionFailure("not a resource address: \(text)") }
        self = address
    }

    struct AddressKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            nil
        }
    }
}

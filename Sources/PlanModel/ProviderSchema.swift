/// The type of an attribute's value as the manifest writes it.
public indirect enum AttributeType: Sendable, Hashable, CustomStringConvertible {
    case string
    case integer
    case boolean
    /// An absolute `http` or `https` URL (`https` only in a production environment).
    case url
    /// The name of another resource of the given kind in the same provider section.
    case reference(kind: String)
    /// The literal `sandbox` or an absolute `http`/`https` URL.
    case endpoint
    /// One of a fixed set of strings.
    case enumeration([String])
    /// An integer, or one of a few keywords (e.g. `Unlimited`).
    case integerOrKeyword([String])
    case list(of: AttributeType)
    /// A mapping with its own attributes.
    case object([AttributeSchema])

    public var description: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .boolean: return "true or false"
        case .url: return "an http(s) URL"
        case .reference(let kind): return "the name of an entry in \(kind)"
        case .endpoint: return "\"sandbox\" or an http(s) URL"
        case .enumeration(let values): return "one of " + values.joined(separator: ", ")
        case .integerOrKeyword(let words): return "an integer or " + words.joined(separator: ", ")
        case .list(let item): return "a list of " + item.plural
        case .object(let fields): return "a mapping of " + fields.map(\.name).joined(separator: ", ")
        }
    }

    var plural: String {
        switch self {
        case .string: return "strings"
        case .integer: return "integers"
        case .enumeration(let values): return "values from " + values.joined(separator: ", ")
        case .object(let fields): return "mappings of " + fields.map(\.name).joined(separator: ", ")
        default: return description
        }
    }

    /// Two types are equal when they accept the same values; a mapping's fields are compared by name. Compared case by
    /// case (every attribute a manifest holds is checked against its type), equal exactly when the descriptions are.
    public static func == (lhs: AttributeType, rhs: AttributeType) -> Bool {
        switch (lhs, rhs) {
        case (.string, .string), (.integer, .integer), (.boolean, .boolean), (.url, .url), (.endpoint, .endpoint): return true
        case let (.reference(left), .reference(right)): return left == right
        case let (.enumeration(left), .enumeration(right)): return left == right
        case let (.integerOrKeyword(left), .integerOrKeyword(right)): return left == right
        case let (.list(left), .list(right)): return left == right
        case let (.object(left), .object(right)): return left.map(\.name) == right.map(\.name)
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }
}

/// What one attribute of a resource kind or provider accepts.
public struct AttributeSchema: Sendable {
    public enum Presence: String, Sendable {
        case required, optional, computed
    }

    public let name: String
    public let type: AttributeType
    public let presence: Presence
    /// A change to it cannot be made in place and forces replacement.
    public let immutable: Bool
    /// Its value never prints; it is resolved into `Value.sensitive`.
    public let sensitive: Bool
    public let summary: String
    /// Used when the manifest leaves the attribute out.
    public let defaultValue: Value?
    /// An example as it would be written in YAML, for the reference and the schema.
    public let example: String?
    /// Inclusive bounds for integers; length bounds for strings.
    public let minimum: Int?
    public let maximum: Int?
    /// A regular expression a string must match in full, with a phrase saying what it means.
    public let pattern: (regex: String, meaning: String)?

    public init(
        _ name: String, _ type: AttributeType, _ presence: Presence,
        immutable: Bool = false, sensitive: Bool = false, default defaultValue: Value? = nil,
        minimum: Int? = nil, maximum: Int? = nil, pattern: (regex: String, meaning: String)? = nil,
        example: String? = nil, summary: String
    ) {
        self.name = name
        self.type = type
        self.presence = presence
        self.immutable = immutable
        self.sensitive = sensitive
        self.summary = summary
        self.defaultValue = defaultValue
        self.example = example
        self.minimum = minimum
        self.maximum = maximum
        self.pattern = pattern
    }
}

extension AttributeSchema {
    /// The key every resource accepts besides its kind's attributes.
    public static let protect = AttributeSchema(
        Resource.protectKey, .boolean, .optional, default: .boolean(false), example: "true",
        summary: "never delete this resource, even after it leaves the manifest and with --allow-delete")

    /// The key every resource accepts that names who does its person step; it changes nothing at a bank.
    public static let owner = AttributeSchema(
        Resource.ownerKey, .string, .optional, example: "payments-ops",
        summary: "who does this resource's person step (a team or a person), shown by provision runbook; changes nothing at the bank")
}

/// One kind of resource a provider type offers, e.g. a bank's `bank_accounts`.
public struct ResourceKindSchema: Sendable {
    public let name: String
    public let capability: Capability
    /// A singleton kind holds its attributes directly (`INSTANCE.webhook`), not a map of named entries.
    public let isSingleton: Bool
    public let attributes: [AttributeSchema]
    public let summary: String
    /// What a person must do, one step a line, for a `manual` kind or a missing `observed` resource.
    /// `{attribute}` is replaced by the attribute's display text, `{address}` by the address, and
    /// `{confirm_command}` and `{consent_command}` by the whole command that records the step, as `Invocation` writes
    /// it (manifest path, `--env`), so that it runs when pasted.
    public let personSteps: [String]
    /// Attributes that identify the resource at the bank when its id is unknown (adoption, lost answers).
    /// Compared without regard to case or runs of spaces.
    public let naturalKey: [String]
    /// The bank's API can delete it; otherwise a resource that leaves the manifest is removed by hand.
    /// Set by the engine from what the kind's handler implements, never written by a bank's schema.
    public var deletable: Bool
    /// What a person does to remove one by hand when the API cannot; `{attribute}` and `{address}` are filled in.
    public let removalSteps: [String]
    /// Kinds of the same provider whose resources this kind's API calls need done first, though no attribute refers
    /// to them (the calls are made with an application's credentials, say): while one of them waits for a person,
    /// this kind's changes wait too. Declared by the bank; the engine decides.
    public var callsNeed: [String] = []

    public init(
        name: String, capability: Capability, isSingleton: Bool = false,
        attributes: [AttributeSchema], naturalKey: [String] = [],
        summary: String, personSteps: [String] = [], removalSteps: [String] = [], callsNeed: [String] = []
    ) {
        self.deletable = false
        self.callsNeed = callsNeed
        self.removalSteps = removalSteps
        self.naturalKey = naturalKey
        self.name = name
        self.capability = capability
        self.isSingleton = isSingleton
        self.attributes = attributes
        self.summary = summary
        self.personSteps = personSteps
    }

    public func attribute(_ name: String) -> AttributeSchema? {
        attributes.first { $0.name == name }
    }

    /// The resource's natural key values, normalised (upper case, single spaces), as the bank compares them (a value
    /// written with `${env:}` by its text); nil if the kind has none or a value is missing.
    public func naturalKey(of resource: Resource) -> String? {
        guard !naturalKey.isEmpty else { return nil }
        if naturalKey.count == 1 { return resource.attributes[naturalKey[0]].map { Resource.normalise($0.revealedText) } }
        var parts: [String] = []
        for field in naturalKey {
            guard let value = resource.attributes[field] else { return nil }
            parts.append(Resource.normalise(value.revealedText))
        }
        return parts.joined(separator: "|")
    }

    /// The person steps with the resource's values filled in, and its commands as `invocation` writes them.
    public func steps(for resource: Resource, invocation: Invocation) -> [String] {
        Self.fill(personSteps, address: resource.address, attributes: resource.attributes, invocation: invocation)
    }

    /// The removal steps for a resource that left the manifest, filled in from its recorded attributes.
    public func removal(of orphan: Orphan) -> [String] {
        let steps = removalSteps.isEmpty
            ? ["The bank has no API to delete {address}: remove it by hand in the bank's portal or through its support."]
            : removalSteps
        var attributes = orphan.attributes
        if let id = orphan.remoteID { attributes["remote_id"] = .string(id) }
        return Self.fill(steps, address: orphan.address, attributes: attributes, invocation: Invocation())
    }

    static func fill(_ templates: [String], address: ResourceAddress, attributes: [String: Value], invocation: Invocation) -> [String] {
        templates.map { template in
            var text = template
                .replacingOccurrences(of: "{confirm_command}", with: invocation.confirm(address.description))
                .replacingOccurrences(of: "{consent_command}", with: invocation.consent(address.description))
                .replacingOccurrences(of: "{address}", with: address.description)
            for (name, value) in attributes {
                text = text.replacingOccurrences(of: "{\(name)}", with: value.displayText)
            }
            return text
        }
    }
}

/// A provider type: its settings and the resource kinds it offers.
public struct ProviderTypeSchema: Sendable {
    /// One setting whose value has the right shape but cannot be used, e.g. a PEM block that holds no key.
    public struct SettingProblem: Sendable, Equatable {
        public var setting: String
        public var reason: String

        public init(setting: String, reason: String) {
            self.setting = setting
            self.reason = reason
        }
    }

    public let type: String
    public let displayName: String
    public let settings: [AttributeSchema]
    public var kinds: [ResourceKindSchema]
    /// Checks the settings beyond their schema (the bank's typed settings); run by the parser on every provider.
    public var checkSettings: @Sendable ([String: Value]) -> [SettingProblem]

    /// `settings` are the type's own; the engine's common settings are appended to them.
    public init(
        type: String, displayName: String, settings: [AttributeSchema], kinds: [ResourceKindSchema],
        checkSettings: @escaping @Sendable ([String: Value]) -> [SettingProblem] = { _ in [] }
    ) {
        self.type = type
        self.displayName = displayName
        self.settings = settings + Self.commonSettings
        self.kinds = kinds
        self.checkSettings = checkSettings
    }

    /// Settings every provider accepts: how fast to call it and when a plan is too big to trust.
    public static let commonSettings: [AttributeSchema] = EngineSettings.attributes

    public func kind(_ name: String) -> ResourceKindSchema? {
        kinds.first { $0.name == name }
    }
}

/// The provider types a run knows, handed to the parser, the differ and the generators as a value.
///
/// Invariant: type names are unique; `types` keeps the order the registry lists them in.
public struct ProviderCatalog: Sendable {
    public let types: [ProviderTypeSchema]
    /// A complete manifest with environments, shown by the manifest reference.
    public let environmentsExample: String

    /// Every kind by provider type and kind name; looked up once per resource by the parser and the differ.
    let kindIndex: [String: [String: ResourceKindSchema]]

    public init(_ types: [ProviderTypeSchema], environmentsExample: String = "") {
        self.types = types
        self.environmentsExample = environmentsExample
        kindIndex = Dictionary(types.map { type in
            (type.type, Dictionary(type.kinds.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
        }, uniquingKeysWith: { first, _ in first })
    }

    public func type(_ name: String) -> ProviderTypeSchema? {
        types.first { $0.type == name }
    }

    /// The schema of one kind of one provider type.
    public func kind(_ kind: String, of providerType: String) -> ResourceKindSchema? {
        kindIndex[providerType]?[kind]
    }

    public var typeNames: [String] { types.map(\.type) }
}

extension ResourceKindSchema {
    /// `attributes` with the value of every attribute this kind marks sensitive held as a secret: what state kept of
    /// one as text (an older version recorded what a bank showed of a secret) never prints.
    public func hidingSecrets(_ attributes: [String: Value]) -> [String: Value] {
        var hidden = attributes
        for attribute in self.attributes where attribute.sensitive {
            if let value = attributes[attribute.name], !value.isSensitive { hidden[attribute.name] = .sensitive(Sensitive(value.revealedText)) }
        }
        return hidden
    }
}

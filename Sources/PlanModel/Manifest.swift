/// The desired bank setup, loaded from one or more YAML files and validated.
public struct Manifest: Sendable {
    public var version: Int
    /// Sorted by name.
    public var providers: [ProviderConfig]
    /// Sorted by address.
    public var resources: [Resource]
    /// The environment laid over the files, if one was chosen.
    public var environment: String?
    /// The chosen environment is marked `production: true`.
    public var isProduction: Bool
    /// Every environment the files declare, sorted.
    public var environments: [String]
    /// The chosen environment's gates, in the order the manifest lists them.
    public var gates: [Gate] = []
    /// The environment whose last converged apply this one's shared resources must match (`promotes_from:`).
    public var promotesFrom: String?

    public init(
        version: Int, providers: [ProviderConfig], resources: [Resource],
        environment: String? = nil, isProduction: Bool = false, environments: [String] = [],
        gates: [Gate] = [], promotesFrom: String? = nil
    ) {
        self.gates = gates
        self.promotesFrom = promotesFrom
        self.version = version
        self.providers = providers.sorted { $0.name < $1.name }
        self.resources = resources.sorted { $0.address < $1.address }
        self.environment = environment
        self.isProduction = isProduction
        self.environments = environments
    }

    public func provider(named name: String) -> ProviderConfig? {
        providers.first { $0.name == name }
    }

    public func resources(of instance: String) -> [Resource] {
        resources.filter { $0.address.instance == instance }
    }
}

/// Where a provider's API is: the embedded simulator, or a base URL.
public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
    case sandbox
    case url(String)

    public var description: String {
        switch self {
        case .sandbox: return "sandbox"
        case .url(let url): return url
        }
    }
}

/// One provider instance from `providers:`, with its settings resolved.
public struct ProviderConfig: Sendable {
    public var name: String
    public var type: String
    public var endpoint: Endpoint
    /// Every setting but `type` and `endpoint`; secrets are `.sensitive`.
    public var settings: [String: Value]
    public var location: SourceLocation

    public init(name: String, type: String, endpoint: Endpoint, settings: [String: Value], location: SourceLocation) {
        self.name = name
        self.type = type
        self.endpoint = endpoint
        self.settings = settings
        self.location = location
    }
}

/// One desired resource.
public struct Resource: Sendable, Equatable {
    public var address: ResourceAddress
    public var providerType: String
    public var capability: Capability
    /// Attributes as written (references as the referenced name).
    public var attributes: [String: Value]
    /// Attribute name → the resource it refers to.
    public var references: [String: ResourceAddress]
    public var location: SourceLocation
    /// `protect: true`: the engine never deletes it, even after it leaves the manifest.
    public var protected: Bool = false

    public init(
        address: ResourceAddress, providerType: String, capability: Capability,
        attributes: [String: Value], references: [String: ResourceAddress] = [:], location: SourceLocation
    ) {
        self.address = address
        self.providerType = providerType
        self.capability = capability
        self.attributes = attributes
        self.references = references
        self.location = location
    }

    public var dependencies: [ResourceAddress] { references.values.sorted() }

    /// Upper case with runs of white space folded to one space and the ends trimmed.
    public static func normalise(_ text: String) -> String {
        text.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A canonical text of the desired attributes, secrets as `(sensitive)`; equal text means equal intent.
    public var fingerprint: String {
        attributes.keys.sorted().map { "\($0)=\(attributes[$0]!.description)" }.joined(separator: "\n")
    }
}

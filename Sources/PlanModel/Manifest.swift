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
    /// `backend:`, where the state is kept; nil for the local folder.
    public var backend: BackendConfig?
    /// The chosen environment's gates, in the order the manifest lists them.
    public var gates: [Gate] = []
    /// The environment whose last converged apply this one's shared resources must match (`promotes_from:`).
    public var promotesFrom: String?
    /// `moved:` entries, in the manifest's order.
    public var moves: [Move] = []
    /// Every text resolved from `${env:NAME}` or `${file:PATH}` while loading, whatever it went into: what the
    /// process's `SecretScrubber` must never let out.
    public var interpolated: Set<String> = []
    /// The values left out because their variable was not set, loaded with `CredentialResolution.deferred`; empty
    /// otherwise. See `requireResolved()`.
    public var deferred: [DeferredValue] = []
    /// What the load found that does not stop it, sorted by place: warnings (a secret written as plain text) and
    /// notes (a deferred variable). Errors never load.
    public var notices: [ManifestProblem] = []

    public init(
        version: Int, providers: [ProviderConfig], resources: [Resource],
        environment: String? = nil, isProduction: Bool = false, environments: [String] = [], backend: BackendConfig? = nil,
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
        self.backend = backend
    }

    public func provider(named name: String) -> ProviderConfig? {
        providers.first { $0.name == name }
    }

    /// The resources of one provider instance; the array itself, not a copy, when they are all of it.
    public func resources(of instance: String) -> [Resource] {
        resources.allSatisfy { $0.address.instance == instance } ? resources : resources.filter { $0.address.instance == instance }
    }

    /// What `--target` and `--provider` left in view: nil for the whole manifest.
    public private(set) var scope: Set<ResourceAddress>?
    /// Providers in view as a whole (`--provider` without `--target`): what left the manifest there is planned too.
    public private(set) var wholeProviders: Set<String> = []

    /// True when the address is part of this run (always, without a scope).
    public func inScope(_ address: ResourceAddress) -> Bool {
        guard let scope else { return true }
        return scope.contains(address) || wholeProviders.contains(address.instance)
    }

    /// The manifest narrowed to the given providers and to the targets with everything they depend on, as
    /// Terraform's `-target` does. Throws the first name that is not in the manifest.
    public func scoped(targets: [ResourceAddress], providers names: [String]) throws(ScopeProblem) -> Manifest {
        for name in names where provider(named: name) == nil {
            throw .unknownProvider(name, known: providers.map(\.name))
        }
        let byAddress = Dictionary(uniqueKeysWithValues: resources.map { ($0.address, $0) })
        for target in targets where byAddress[target] == nil {
            throw .unknownTarget(target.description, known: resources.map(\.address.description))
        }
        var kept = Set(resources.filter { names.isEmpty || names.contains($0.address.instance) }.map(\.address))
        if !targets.isEmpty {
            kept = []
            var work = targets
            while let next = work.popLast() {
                if kept.insert(next).inserted { work += byAddress[next]?.dependencies ?? [] }
            }
        }
        var narrowed = self
        narrowed.resources = resources.filter { kept.contains($0.address) }
        let instances = Set(narrowed.resources.map(\.address.instance)).union(names)
        narrowed.providers = providers.filter { instances.contains($0.name) }
        let dropped = providers.filter { !instances.contains($0.name) }.map(\.name)
        narrowed.deferred = deferred.filter { value in !dropped.contains { value.belongs(toProvider: $0) } }
        narrowed.scope = kept
        narrowed.wholeProviders = targets.isEmpty ? Set(names) : []
        return narrowed
    }
}

/// A `--target` or `--provider` that names nothing in the manifest.
public enum ScopeProblem: Error, Sendable, CustomStringConvertible {
    case unknownTarget(String, known: [String])
    case unknownProvider(String, known: [String])

    public var description: String {
        switch self {
        case .unknownTarget(let name, let known):
            let hint = Suggestion.nearest(to: name, in: known).map { " Did you mean \($0)?" } ?? ""
            return "--target \(name) is not a resource of the manifest.\(hint)"
        case .unknownProvider(let name, let known):
            let hint = Suggestion.nearest(to: name, in: known).map { " Did you mean \($0)?" } ?? ""
            return "--provider \(name) is not declared under providers:.\(hint) Declared: \(known.sorted().joined(separator: ", "))."
        }
    }
}

/// Where a provider's API is: the embedded simulator, a base URL, or not known yet.
public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
    case sandbox
    case url(String)
    /// Written with a variable that was not set in a load with deferred credentials: `reference` as written. Never
    /// contacted (a manifest with a deferred value is not connected).
    case deferred(reference: String)

    public var description: String {
        switch self {
        case .sandbox: return "sandbox"
        case .url(let url): return url
        case .deferred(let reference): return reference
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
    /// The key that marks a resource as never deleted by apply (`protect: true`).
    public static let protectKey = "protect"
    /// The key that names who does a resource's person step (`owner: TEXT`), for the runbook.
    public static let ownerKey = "owner"

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
    /// `owner:`: who does the resource's person step (a team or a person), as written; never part of its attributes.
    public var owner: String?

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
        asciiNormalised(text) ?? text.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `normalise` for text that is all ASCII, byte by byte (its white space is tab to carriage return and
    /// space, its upper case A to Z); nil for any other text.
    static func asciiNormalised(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var spacePending = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                spacePending = !bytes.isEmpty
            } else {
                if spacePending { bytes.append(0x20) }
                spacePending = false
                bytes.append((0x61...0x7A).contains(byte) ? byte - 0x20 : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A canonical text of the desired attributes, secrets as `(sensitive)`; equal text means equal intent.
    public var fingerprint: String {
        attributes.keys.sorted().map { "\($0)=\(attributes[$0]!.description)" }.joined(separator: "\n")
    }
}

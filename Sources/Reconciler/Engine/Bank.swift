import Foundation
import Logging
import ManifestLanguage
import PlanModel

/// Reads a provider's settings into a bank's typed settings, collecting every problem.
public struct SettingsReader {
    public let values: [String: Value]
    public private(set) var problems: [ProviderTypeSchema.SettingProblem] = []

    public init(_ values: [String: Value]) {
        self.values = values
    }

    /// A plain setting's text; empty when absent (the schema reports missing required settings).
    public func text(_ name: String) -> String {
        values[name]?.revealedText ?? ""
    }

    public func optionalText(_ name: String) -> String? {
        values[name]?.revealedText
    }

    /// A secret setting, kept wrapped so it never prints.
    public func secret(_ name: String) -> Sensitive {
        Sensitive(values[name]?.revealedText ?? "")
    }

    /// Records that a setting cannot be used, with the reason a person can act on.
    public mutating func problem(_ setting: String, _ reason: String) {
        problems.append(.init(setting: setting, reason: reason))
    }
}

/// A bank's settings as its client uses them, read and checked during `validate`.
public protocol BankSettings: Sendable {
    init(_ reader: inout SettingsReader)
}

/// Where and how one provider instance talks to its bank.
public struct BankConnection: Sendable {
    /// The provider instance name from the manifest.
    public let name: String
    /// The API base URL, without a trailing slash (a sandbox mount for `endpoint: sandbox`).
    public let baseURL: String
    public let pipeline: RequestPipeline
    public let now: @Sendable () -> Date
    /// Where secrets that outlive a step are kept (OAuth tokens), beside the state; nil when a run keeps none.
    public let keptSecrets: SecretStore?

    public init(
        name: String, baseURL: String, pipeline: RequestPipeline, now: @escaping @Sendable () -> Date = { Date() },
        keptSecrets: SecretStore? = nil
    ) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.pipeline = pipeline
        self.now = now
        self.keptSecrets = keptSecrets
    }
}

/// One kind's handler, made from the bank's client; what the handler adopts decides what the kind supports.
///
/// Invariant: the kind is named once, in its schema; the registration carries the schema itself.
public struct KindRegistration<Client: Sendable>: Sendable {
    public let schema: ResourceKindSchema
    let handlerType: any KindHandler.Type
    let make: @Sendable (Client) -> any KindHandler

    public init<Handler: KindHandler>(_ schema: ResourceKindSchema, _ make: @escaping @Sendable (Client) -> Handler) {
        self.schema = schema
        self.handlerType = Handler.self
        self.make = make
    }

    public var kind: String { schema.name }
}

/// One bank the tool knows: its schema, typed settings and handlers. `BankRegistry` lists them.
///
/// Invariant: a kind is `deletable` exactly when its handler adopts `Deleting`; every registered kind is in the schema
/// (a registered kind the schema does not list is added to it, so the two cannot disagree).
public struct Bank: Sendable {
    public let schema: ProviderTypeSchema
    /// Where the bank's simulator is mounted on a sandbox server, e.g. `/acme/api`.
    public let sandboxMount: String
    /// Nil for a bank this version can validate but not plan or apply.
    let connect: (@Sendable ([String: Value], BankConnection) throws -> BankProvider)?

    /// A bank that plans and applies; `notes` says what its settings mean for how it is read (shown once per plan).
    public init<Settings: BankSettings, Client: Sendable>(
        schema: ProviderTypeSchema, sandboxMount: String, settings: Settings.Type,
        client: @escaping @Sendable (Settings, BankConnection) -> Client, kinds: [KindRegistration<Client>],
        notes: @escaping @Sendable (Settings) -> [String] = { _ in [] }
    ) {
        var schema = schema
        for registration in kinds {
            var kind = registration.schema
            kind.deletable = registration.handlerType is any Deleting.Type
            if let index = schema.kinds.firstIndex(where: { $0.name == kind.name }) { schema.kinds[index] = kind } else { schema.kinds.append(kind) }
        }
        schema.checkSettings = { values in
            var reader = SettingsReader(values)
            _ = Settings(&reader)
            return reader.problems
        }
        let finished = schema
        self.schema = finished
        self.sandboxMount = sandboxMount
        self.connect = { values, connection in
            var reader = SettingsReader(values)
            let settings = Settings(&reader)
            // The parser refuses these settings during validate; a caller that skipped it is told the same here.
            if !reader.problems.isEmpty {
                throw ReconcilerError.invalidSettings(instance: connection.name, problems: reader.problems.map { "\($0.setting): \($0.reason)" })
            }
            let client = client(settings, connection)
            let handlers = Dictionary(uniqueKeysWithValues: kinds.map { ($0.kind, $0.make(client)) })
            let checks = [client as? any Checking] + kinds.map { handlers[$0.kind] as? any Checking }
            return BankProvider(
                name: connection.name, schema: finished, handlers: handlers, notes: notes(settings), checks: checks.compactMap { $0 },
                serverClock: connection.pipeline.serverClock)
        }
    }

    /// A bank whose manifests validate, but that this version cannot plan or apply yet.
    public init(validatingOnly schema: ProviderTypeSchema, sandboxMount: String) {
        self.schema = schema
        self.sandboxMount = sandboxMount
        self.connect = nil
    }

    public var canPlan: Bool { connect != nil }

    /// The adapter of one provider instance at `baseURL`; nil for a bank that cannot plan yet. Throws
    /// `.invalidSettings` for settings the bank cannot use (which `validate` reports with their places).
    public func provider(
        name: String, baseURL: String, settings: [String: Value], wire: any HTTPTransport, limiter: RateLimiter? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, keptSecrets: SecretStore? = nil
    ) throws -> BankProvider? {
        let pipeline = RequestPipeline(wire: wire, limiter: limiter, deadline: .seconds(EngineSettings(settings).requestTimeout))
        return try connect?(settings, BankConnection(name: name, baseURL: baseURL, pipeline: pipeline, now: now, keptSecrets: keptSecrets))
    }
}

/// Every bank a build knows, and how to connect a manifest's providers to them.
public struct BankRegistry: Sendable {
    public let banks: [Bank]
    public let catalog: ProviderCatalog

    public init(_ banks: [Bank], environmentsExample: String) {
        self.banks = banks
        self.catalog = ProviderCatalog(banks.map(\.schema), environmentsExample: environmentsExample)
    }

    public func bank(_ type: String) -> Bank? {
        banks.first { $0.schema.type == type }
    }

    /// The adapter of every provider of the manifest.
    ///
    /// - Parameters:
    ///   - sandboxBaseURL: `http://127.0.0.1:PORT` of a running sandbox, for `endpoint: sandbox`.
    ///   - wire: what sends the bytes; every provider gets its own retries and rate limiter on top of it. By default
    ///     an `AsyncHTTPTransport` that takes answers as large as the manifest's lists may be (`responseLimit`).
    ///   - keptSecrets: where secrets that outlive a step (OAuth tokens) are kept, beside the state.
    public func connect(
        _ manifest: Manifest, sandboxBaseURL: String?, wire: (any HTTPTransport)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, keptSecrets: SecretStore? = nil
    ) throws -> [String: any Provider] {
        // A value the manifest deferred (its variable unset) is never replaced by anything a bank would be sent.
        try manifest.requireResolved()
        let wire = wire ?? AsyncHTTPTransport(maxResponseBytes: AsyncHTTPTransport.responseLimit(resources: manifest.resources.count))
        var providers: [String: any Provider] = [:]
        for config in manifest.providers {
            guard let bank = bank(config.type), bank.canPlan else {
                throw ReconcilerError.providerNotAvailable(instance: config.name, type: config.type)
            }
            let baseURL: String
            switch config.endpoint {
            case .url(let url):
                baseURL = url
                if url.lowercased().hasPrefix("http://"), !ManifestParser.isLoopback(url: url) {
                    Logger(label: "provision.security").warning(
                        "provider \(config.name) sends its credentials over plain http (allow_insecure_http: true): use it only with a test bank you trust")
                }
            case .sandbox:
                guard let sandboxBaseURL else { throw ReconcilerError.noProvider(instance: config.name) }
                baseURL = sandboxBaseURL + bank.sandboxMount
            case .deferred:
                try manifest.requireResolved()
                throw ReconcilerError.noProvider(instance: config.name)
            }
            var settings = config.settings
            settings["endpoint"] = nil
            providers[config.name] = try bank.provider(
                name: config.name, baseURL: baseURL, settings: settings, wire: wire, limiter: Self.limiter(config), now: now,
                keptSecrets: keptSecrets)
        }
        return providers
    }

    /// The provider's own token bucket when it sets `rate_limit`.
    static func limiter(_ config: ProviderConfig) -> RateLimiter? {
        EngineSettings(config.settings).rateLimit.map { RateLimiter(requestsPerSecond: $0) }
    }
}

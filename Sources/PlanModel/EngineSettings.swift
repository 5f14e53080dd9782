/// The engine's own settings of one provider, typed, each with its one default; every provider accepts them.
///
/// Invariant: the defaults here are the only ones: the schema, the reference, the safety check, the request
/// pipeline and the rate limiter all read them from this type.
public struct EngineSettings: Sendable, Equatable {
    /// Plan and apply refuse, without `--force`, to change more than this share (percent) of managed resources.
    public var maxChangePercent: Int
    /// The share check applies once the provider has at least this many managed resources.
    public var safetyMinimum: Int
    /// Most requests per second to the provider, shared by every call of a run; nil for no limit.
    public var rateLimit: Int?
    /// Seconds one attempt of a call may take, from connecting to the last byte of the answer.
    public var requestTimeout: Int

    public static let maxChangePercentKey = "max_change_percent"
    public static let safetyMinimumKey = "safety_min_resources"
    public static let rateLimitKey = "rate_limit"
    public static let requestTimeoutKey = "request_timeout"
    /// Lets a provider's endpoint be plain http to a host other than this machine (a test bank); warned on every run.
    public static let allowInsecureHTTPKey = "allow_insecure_http"

    public static let defaults = EngineSettings(maxChangePercent: 30, safetyMinimum: 10, rateLimit: nil, requestTimeout: 30)
    /// The most bank calls in flight at once during apply, unless `--parallelism` says otherwise.
    public static let defaultParallelism = 8

    public init(maxChangePercent: Int, safetyMinimum: Int, rateLimit: Int?, requestTimeout: Int) {
        self.maxChangePercent = maxChangePercent
        self.safetyMinimum = safetyMinimum
        self.rateLimit = rateLimit
        self.requestTimeout = requestTimeout
    }

    /// The settings a provider's values give, a default for each one left out (the parser checked the ranges).
    public init(_ settings: [String: Value]) {
        let defaults = Self.defaults
        maxChangePercent = settings[Self.maxChangePercentKey]?.integerValue ?? defaults.maxChangePercent
        safetyMinimum = settings[Self.safetyMinimumKey]?.integerValue ?? defaults.safetyMinimum
        rateLimit = settings[Self.rateLimitKey]?.integerValue.flatMap { $0 > 0 ? $0 : nil } ?? defaults.rateLimit
        requestTimeout = settings[Self.requestTimeoutKey]?.integerValue ?? defaults.requestTimeout
    }

    /// What every provider accepts besides its type's own settings, for the parser, the JSON Schema and the reference.
    public static let attributes: [AttributeSchema] = [
        AttributeSchema(rateLimitKey, .integer, .optional, minimum: 1, example: "20",
                        summary: "most requests per second to this provider, shared by every call of a run (default: no limit)"),
        AttributeSchema(maxChangePercentKey, .integer, .optional, default: .integer(defaults.maxChangePercent), minimum: 0, maximum: 100,
                        example: "30",
                        summary: "plan and apply refuse, without --force, to update, replace or delete more than this share of the provider's managed resources"),
        AttributeSchema(safetyMinimumKey, .integer, .optional, default: .integer(defaults.safetyMinimum), minimum: 1, example: "10",
                        summary: "the max_change_percent check applies once the provider has at least this many managed resources"),
        AttributeSchema(requestTimeoutKey, .integer, .optional, default: .integer(defaults.requestTimeout), minimum: 1, maximum: 3600,
                        example: "30",
                        summary: "seconds one attempt of a call may take, from connecting to the last byte of the answer; past it the attempt fails"),
        AttributeSchema(allowInsecureHTTPKey, .boolean, .optional, example: "false",
                        summary: "allow an http:// endpoint on a host other than this machine, so credentials cross the network in clear; only for a test bank you trust, and warned on every run"),
    ]
}

import Foundation
import PlanModel

/// Builds the adapter for each provider instance of a manifest.
public enum ProviderFactory {
    /// Where each provider type's simulator is mounted on a sandbox server.
    public static let sandboxMounts: [String: String] = ["finan-one": "/finan/open", "sepay-bankhub": "/sepay"]

    /// - Parameter sandboxBaseURL: `http://127.0.0.1:PORT` of a running sandbox, for `endpoint: sandbox`.
    public static func make(
        _ config: ProviderConfig, sandboxBaseURL: String?, transport: any HTTPTransport = AsyncHTTPTransport()
    ) throws -> any Provider {
        let baseURL: String
        switch config.endpoint {
        case .url(let url): baseURL = url
        case .sandbox:
            guard let sandboxBaseURL else { throw ReconcilerError.noProvider(instance: config.name) }
            baseURL = sandboxBaseURL + (sandboxMounts[config.type] ?? "")
        }
        let transport = wrapped(transport, for: config)
        switch config.type {
        case "finan-one":
            return FinanOneProvider(
                name: config.name, baseURL: baseURL,
                clientID: config.settings["client_id"]?.revealedText ?? "",
                secretKey: Sensitive(config.settings["secret_key"]?.revealedText ?? ""),
                transport: transport)
        case "sepay-bankhub":
            return SePayBankHubProvider(
                name: config.name, baseURL: baseURL,
                clientID: config.settings["client_id"]?.revealedText ?? "",
                clientSecret: Sensitive(config.settings["client_secret"]?.revealedText ?? ""),
                transport: transport)
        default:
            throw ReconcilerError.providerNotAvailable(instance: config.name, type: config.type)
        }
    }

    /// The transport one provider instance uses: retries, and its own `rate_limit` token bucket when set.
    static func wrapped(_ transport: any HTTPTransport, for config: ProviderConfig) -> any HTTPTransport {
        var limiter: RateLimiter?
        if case .integer(let rate) = config.settings["rate_limit"], rate > 0 {
            limiter = RateLimiter(requestsPerSecond: rate)
        }
        return RetryingTransport(transport, limiter: limiter)
    }

    public static func makeAll(
        _ manifest: Manifest, sandboxBaseURL: String?, transport: any HTTPTransport = AsyncHTTPTransport()
    ) throws -> [String: any Provider] {
        var providers: [String: any Provider] = [:]
        for config in manifest.providers {
            providers[config.name] = try make(config, sandboxBaseURL: sandboxBaseURL, transport: transport)
        }
        return providers
    }
}

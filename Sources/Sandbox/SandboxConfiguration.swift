import Foundation

/// How to run the sandbox.
public struct SandboxConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; `RunningSandbox.port` tells which.
    public var port: Int
    /// Where the simulators persist their worlds (`finan.json`, ...); nil keeps them in memory.
    public var dataDirectory: String?
    /// A JSON seed replacing the built-in defaults, used only when no persisted world exists yet.
    public var seedFile: String?
    /// Lifetime of a SePay access token in seconds, answered as `ttl` by `POST /v1/token`.
    public var sepayTokenTTL: Int
    /// Lifetime of a SePay link token in seconds.
    public var sepayLinkTokenTTL: TimeInterval
    /// Delays before each retry of a SePay webhook delivery that could not reach the receiver; one entry per retry.
    ///
    /// SePay retries up to 7 times, Fibonacci-spaced in minutes (the default); tests pass tiny delays.
    public var sepayWebhookRetryDelays: [Duration]
    /// Lifetime of a VietinBank OAuth access token in seconds, answered as `expires_in`.
    public var vietinbankTokenTTL: Int
    /// Faults to inject into every bank's requests; nil for none.
    public var faults: SandboxFaults?
    public var now: @Sendable () -> Date

    public static let sepayDefaultRetryDelays: [Duration] = [1, 1, 2, 3, 5, 8, 13].map { .seconds($0 * 60) }

    public init(
        host: String = "127.0.0.1", port: Int = 0, dataDirectory: String? = nil, seedFile: String? = nil,
        sepayTokenTTL: Int = 60000, sepayLinkTokenTTL: TimeInterval = 1800,
        sepayWebhookRetryDelays: [Duration] = SandboxConfiguration.sepayDefaultRetryDelays, vietinbankTokenTTL: Int = 3600,
        faults: SandboxFaults? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.faults = faults
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.seedFile = seedFile
        self.sepayTokenTTL = sepayTokenTTL
        self.sepayLinkTokenTTL = sepayLinkTokenTTL
        self.sepayWebhookRetryDelays = sepayWebhookRetryDelays
        self.vietinbankTokenTTL = vietinbankTokenTTL
        self.now = now
    }
}

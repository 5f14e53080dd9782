import Foundation
import PlanModel

/// What `check` asks for.
public struct CheckRequest: Sendable {
    /// Seconds before a certificate's expiry that it is warned of (30 days).
    public var warningWindow: TimeInterval
    /// What looks at an https endpoint's TLS certificate.
    public var endpoints: any EndpointInspecting
    public var now: @Sendable () -> Date

    public static let defaultWarningWindow: TimeInterval = 30 * 86_400

    public init(
        warningWindow: TimeInterval = CheckRequest.defaultWarningWindow, endpoints: any EndpointInspecting = TLSInspector(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.warningWindow = warningWindow
        self.endpoints = endpoints
        self.now = now
    }
}

/// One line of a check: a provider's finding, or the state backend's (provider `(state)`).
public struct CheckLine: Sendable, Equatable {
    public var provider: String
    public var finding: CheckFinding

    public init(provider: String, finding: CheckFinding) {
        self.provider = provider
        self.finding = finding
    }
}

/// What `check` found, and the exit code it means.
public struct CheckResult: Sendable, Equatable {
    /// The providers by name, each in the order its checks ran, then the state backend.
    public var lines: [CheckLine]

    public static let stateProvider = "(state)"

    public init(lines: [CheckLine]) {
        self.lines = lines
    }

    public func count(_ status: CheckStatus) -> Int {
        lines.count { $0.finding.status == status }
    }

    /// 0 when every check is ok, 2 when some only warn, 1 when any failed.
    public var exitCode: Int32 {
        switch lines.map(\.finding.status).max() ?? .ok {
        case .ok: 0
        case .warning: 2
        case .failed: 1
        }
    }
}

/// A read-only preflight of every provider, in parallel, and of the state backend: each https endpoint's TLS
/// certificate (does it verify, when does it expire), the bank's own checks (`Checking`: credentials proven by a list
/// or probe call, key pairs and sizes, certificate files), the probes of manual kinds, this machine's clock against
/// the bank's `Date` header where its signatures carry a time, and whether the state loads and its lock is free.
///
/// Invariant: sends no call that changes anything at a bank, takes no lock and writes no state or journal.
public struct CheckOperation: Sendable {
    public let request: CheckRequest

    public init(_ request: CheckRequest = CheckRequest()) {
        self.request = request
    }

    public func run(in workspace: Workspace) async throws -> CheckResult {
        let manifest = workspace.manifest
        let state = await Self.state(workspace.backend)
        let providers = try await workspace.connected { providers in
            await withTaskGroup(of: (String, [CheckFinding]).self) { group in
                for config in manifest.providers {
                    let context = CheckContext(
                        resources: manifest.resources.filter { $0.address.instance == config.name }, production: manifest.isProduction,
                        now: request.now(), warningWindow: request.warningWindow)
                    let provider = providers[config.name]
                    group.addTask { (config.name, await check(config, provider: provider, context: context)) }
                }
                var found: [String: [CheckFinding]] = [:]
                for await (name, findings) in group { found[name] = findings }
                return found
            }
        }
        let lines = providers.keys.sorted().flatMap { name in providers[name]!.map { CheckLine(provider: name, finding: $0) } }
        return CheckResult(lines: lines + state.map { CheckLine(provider: CheckResult.stateProvider, finding: $0) })
    }

    /// One provider: its endpoint, the bank's checks and probes, then its clock.
    func check(_ config: ProviderConfig, provider: (any Provider)?, context: CheckContext) async -> [CheckFinding] {
        var findings = [await endpoint(config.endpoint, context: context)]
        guard let checking = provider?.checking else {
            findings.append(.warning("checks", "this provider has no preflight checks", fix: "Run provision plan to see whether it can be read."))
            return findings
        }
        findings += await checking.check(context)
        if let window = checking.clockWindow { findings.append(Self.clock(checking.serverClock.reading, window: window)) }
        return findings
    }

    /// The endpoint: the embedded sandbox, plain http (fine on this machine only), or https with its TLS certificate.
    func endpoint(_ endpoint: Endpoint, context: CheckContext) async -> CheckFinding {
        guard case .url(let text) = endpoint else { return .ok("endpoint", "the embedded sandbox (no TLS to check)") }
        guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            return .failed("endpoint", "\(text) is not a URL", fix: "Set endpoint to the bank's https base URL.")
        }
        guard url.scheme == "https" else {
            if ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) { return .ok("endpoint", "\(text): plain HTTP on this machine") }
            return .warning("endpoint", "\(text) is plain HTTP: credentials and payloads cross the network unencrypted", fix: "Use the bank's https URL.")
        }
        let inspection = await request.endpoints.inspect(host: host, port: url.port ?? 443)
        return Self.tls(inspection, host: host, context: context)
    }

    static func tls(_ inspection: EndpointInspection, host: String, context: CheckContext) -> CheckFinding {
        let subject = "endpoint TLS"
        let expiry = inspection.notValidAfter.map { ($0, KeyInspector.day($0), Int(($0.timeIntervalSince(context.now) / 86_400).rounded())) }
        switch inspection.outcome {
        case .verified:
            guard let (end, day, days) = expiry else { return .ok(subject, "the certificate of \(host) verifies") }
            if end.timeIntervalSince(context.now) <= context.warningWindow {
                return .warning(subject, "the certificate of \(host) verifies and expires on \(day), in \(days) day\(days == 1 ? "" : "s")",
                                fix: "Tell the bank (or whoever serves \(host), e.g. your proxy) that its certificate expires soon: every call fails once it has.")
            }
            return .ok(subject, "the certificate of \(host) verifies; valid until \(day) (\(days) days)")
        case .unverified(let reason):
            let until = expiry.map { "; it \($0.0 <= context.now ? "expired" : "expires") on \($0.1)" } ?? ""
            return .failed(subject, "the certificate of \(host) does not verify: \(reason)\(until)",
                           fix: "Check the endpoint's host name; behind a TLS-inspecting proxy, add its CA to this machine's trusted roots.")
        case .unresolved(let reason):
            return .failed("endpoint", "\(host) does not resolve: \(reason)", fix: "Check the endpoint's spelling and this machine's DNS.")
        case .unreachable(let reason):
            return .failed("endpoint", "no TLS connection to \(host): \(reason)",
                           fix: "Check the endpoint, the network, and that the bank allows this machine's address.")
        }
    }

    /// This machine's clock against the bank's `Date` header, for a bank whose signatures allow `window`.
    static func clock(_ reading: ServerClock.Reading?, window: Duration) -> CheckFinding {
        let allowed = Int(window.components.seconds)
        let sync = "Synchronise this machine's clock (NTP): the bank refuses signatures more than \(allowed) s off its own."
        guard let reading else { return .warning("clock", "the bank's answers carried no Date header, so the clocks could not be compared", fix: sync) }
        // An HTTP date has whole seconds: up to one second of the offset is the header's rounding.
        let offset = max(0, abs(reading.offset) - 1)
        let off = offset < 1 ? "within 1 s of" : "\(Int(offset.rounded())) s \(reading.offset >= 0 ? "ahead of" : "behind")"
        let words = "this machine is \(off) the bank's clock; its signatures allow \(allowed) s"
        if offset > Double(allowed) { return .failed("clock", words, fix: sync) }
        if offset > Double(allowed) / 2 { return .warning("clock", words, fix: sync) }
        return .ok("clock", words)
    }

    /// The state loads, and its lock is free.
    static func state(_ backend: any StateBackend) async -> [CheckFinding] {
        let loaded: State
        do {
            loaded = try await backend.load()
        } catch {
            return [.failed("state backend", "\(backend.location): \(error)", fix: "Check --state or backend:, and that the state can be reached and read from here.")]
        }
        var findings = [CheckFinding.ok("state backend", "\(backend.location): serial \(loaded.serial), \(loaded.resources.count) resources")]
        do {
            if let holder = try await backend.holder() {
                findings.append(.warning("state lock", "held by \(holder.summary)",
                                         fix: "Let that run finish (apply waits up to --lock-timeout); if it died on another machine: provision state unlock \(holder.id)"))
            } else {
                findings.append(.ok("state lock", "free"))
            }
        } catch {
            findings.append(.failed("state lock", "\(error)", fix: "Check that the state backend can be reached from here."))
        }
        return findings
    }
}

import Foundation
import PlanModel

/// How one preflight check went.
public enum CheckStatus: String, Sendable, Comparable, CaseIterable {
    /// Nothing to do.
    case ok
    /// Works now, needs attention (e.g. a certificate that expires within the warning window).
    case warning
    /// A plan or apply would fail on it.
    case failed

    var severity: Int {
        switch self {
        case .ok: 0
        case .warning: 1
        case .failed: 2
        }
    }

    public static func < (lhs: CheckStatus, rhs: CheckStatus) -> Bool { lhs.severity < rhs.severity }
}

/// One thing a preflight found: what was checked, how it went, what was seen and, unless ok, what to do.
public struct CheckFinding: Sendable, Equatable {
    /// What was checked, e.g. `credentials`, `clock`, `bank_certificate expiry`.
    public var subject: String
    public var status: CheckStatus
    /// What was seen, in the bank's words where it gave some.
    public var detail: String
    /// What to do about it; nil when ok.
    public var fix: String?

    public init(_ subject: String, _ status: CheckStatus, _ detail: String, fix: String? = nil) {
        self.subject = subject
        self.status = status
        self.detail = detail
        self.fix = status == .ok ? nil : fix
    }

    public static func ok(_ subject: String, _ detail: String) -> CheckFinding {
        CheckFinding(subject, .ok, detail)
    }

    public static func warning(_ subject: String, _ detail: String, fix: String) -> CheckFinding {
        CheckFinding(subject, .warning, detail, fix: fix)
    }

    public static func failed(_ subject: String, _ detail: String, fix: String) -> CheckFinding {
        CheckFinding(subject, .failed, detail, fix: fix)
    }
}

/// What a bank's preflight knows of the run: the provider's resources, the environment, the time and the warning window.
public struct CheckContext: Sendable {
    /// The provider's resources as the manifest declares them.
    public var resources: [Resource]
    /// The environment is marked `production: true`.
    public var production: Bool
    public var now: Date
    /// Seconds before an expiry that it is warned of.
    public var warningWindow: TimeInterval

    public init(resources: [Resource], production: Bool, now: Date, warningWindow: TimeInterval) {
        self.resources = resources
        self.production = production
        self.now = now
        self.warningWindow = warningWindow
    }

    /// The declared resources of one kind, by address.
    public func resources(of kind: String) -> [Resource] {
        resources.filter { $0.address.kind == kind }
    }
}

/// What a bank checks before anything is written (`provision check`), declared in its folder: adopted by the bank's
/// client or by a kind handler, as `Probing` is.
///
/// Invariant: every call a check makes is read-only: a list, a probe, an inquiry; never a call that changes anything.
public protocol Checking: Sendable {
    /// The bank's own findings: a call that proves the credentials, the keys it holds (a private key matches the
    /// certificate given for it, key sizes meet what the bank asks) and the expiry of its certificate files.
    func check(_ context: CheckContext) async -> [CheckFinding]
    /// How far this machine's clock may be from the bank's when its signatures carry a time; nil when none does.
    var clockWindow: Duration? { get }
}

extension Checking {
    public var clockWindow: Duration? { nil }
}

/// A provider's preflight: the bank's own checks, the probes of its manual kinds, and the bank's clock as its answers
/// showed it. `BankProvider` plays it; the engine's `CheckOperation` adds what is the same for every bank.
public protocol ProviderChecking: Provider {
    /// The bank's findings, then what each probed part of a manual kind's resources showed.
    func check(_ context: CheckContext) async -> [CheckFinding]
    /// The largest clock window any of the bank's checks declared; nil when no signature carries a time.
    var clockWindow: Duration? { get }
    /// The bank's clock as the last answer's `Date` header showed it.
    var serverClock: ServerClock { get }
}

extension CheckFinding {
    /// A failed check from a bank call that failed: what the bank said, and its advice (or the status's) as the fix.
    public static func failed(_ subject: String, call error: any Error) -> CheckFinding {
        guard let error = error as? ProviderError else {
            return .failed(subject, "\(error)", fix: "Check the provider's settings and the network, then run provision check again.")
        }
        return .failed(subject, error.finding, fix: error.advice)
    }
}

extension ProviderError {
    /// What happened, without the advice, for a check's line (whose fix gives the advice).
    public var finding: String {
        let id = requestID.map { " (request id \($0))" } ?? ""
        switch failure {
        case .rejected:
            let code = code.map { ", code \($0)" } ?? ""
            let words = message.flatMap { $0.isEmpty ? nil : ": \($0)" } ?? ""
            return "\(bank) refused \(request): HTTP \(status ?? 0)\(code)\(words)\(id)"
        case .unreachable(let reason): return "no answer from \(bank) to \(request): \(reason)"
        case .malformed(let reason): return "\(bank) answered \(request) with HTTP \(status ?? 0) that cannot be read: \(reason)\(id)"
        case .redirected(let location): return "\(bank) answered \(request) with a redirect to \(location)\(id)"
        }
    }

    /// What to do about it: the bank's advice for a refusal, else the generic one.
    public var advice: String {
        switch failure {
        case .rejected: hint ?? Self.hint(status: status ?? 0)
        case .unreachable: "Check the endpoint and the network, then run provision check again."
        case .malformed, .redirected: "Check that the endpoint is the bank's API base URL."
        }
    }
}

import PlanModel

/// What a fresh plan means for the command that made it: whether it may be applied, whether a person must
/// approve it, and the exit code. Every command asks here; none decides for itself.
public struct PlanVerdict: Sendable {
    public let plan: Plan
    /// Providers whose share of changed resources is over their `max_change_percent`.
    public let violations: [PlanSafety.Violation]
    /// `--force`: the safety threshold is waived.
    public let forced: Bool
    /// The environment's gates and promotion, when it declares any.
    public let journey: JourneyCheck?

    public init(plan: Plan, violations: [PlanSafety.Violation], forced: Bool, journey: JourneyCheck? = nil) {
        self.plan = plan
        self.violations = violations
        self.forced = forced
        self.journey = journey
    }

    /// The plan is over a safety threshold and not forced.
    var unsafe: ReconcilerError? {
        violations.isEmpty || forced ? nil : .unsafePlan(violations: violations.map(\.description))
    }

    /// `plan`'s exit code: 1 when the plan has errors, 2 for changes with `--detailed-exitcode`, else 0.
    /// Throws when the plan is over a safety threshold.
    public func planExitCode(detailed: Bool) throws -> Int32 {
        if plan.hasErrors { return 1 }
        if let unsafe { throw unsafe }
        return detailed && plan.hasChanges ? 2 : 0
    }

    /// `drift`'s exit code: 2 when something changed at a bank outside the tool, else 0.
    public var driftExitCode: Int32 { plan.drift.isEmpty ? 0 : 2 }

    /// Refuses to apply a plan with errors, one over a safety threshold, a saved plan that no longer
    /// matches the fresh one, or one whose environment has unconfirmed gates or resources not proven upstream.
    public func checkApplicable(saved: (plan: SavedPlan, path: String)?, manifest: Manifest, state: State) throws {
        if let saved {
            let reasons = saved.plan.staleness(fresh: plan, manifest: manifest, state: state)
            if !reasons.isEmpty { throw ReconcilerError.stalePlan(path: saved.path, reasons: reasons) }
        }
        if plan.hasErrors { throw ReconcilerError.planHasErrors(count: plan.changes.filter { $0.action.isError }.count) }
        if let unsafe { throw unsafe }
        if let refusal = journey?.refusal { throw refusal }
    }

    /// A person must say yes first: the plan changes a bank or the state, and nobody reviewed it as a saved plan.
    public func needsApproval(reviewed: Bool) -> Bool {
        !reviewed && plan.changes.contains { $0.action.callsAPI || $0.action == .adopt || $0.action == .forget || $0.movedFrom != nil }
    }
}

extension ApplyReport {
    /// `apply`'s exit code: 128 + the signal when stopped by one (130 for SIGINT, 143 for SIGTERM), 1 when a step
    /// failed or was skipped, 3 when a person's step is pending, else 0.
    public var exitCode: Int32 {
        if let stoppedBy { return 128 + stoppedBy }
        if !failed.isEmpty || !skipped.isEmpty { return 1 }
        return waiting.isEmpty ? 0 : 3
    }
}

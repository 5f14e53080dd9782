import PlanModel

/// Whether a person has approved the changes a plan makes, or how to ask one.
public enum Approval: Sendable {
    /// Approved beforehand (`--auto-approve`).
    case given
    /// Ask a person, showing them the plan; true means yes.
    case ask(@Sendable (Plan) async throws -> Bool)
    /// Nobody can be asked here; the words say why (for example "standard input is not a terminal").
    case unavailable(String)
}

/// What `apply` asks for.
public struct ApplyRequest: Sendable {
    public var allowDelete: Bool
    public var force: Bool
    /// The most bank calls in flight at once.
    public var parallelism: Int
    /// How long a person's browser step is waited for before apply moves on.
    public var waitForPeople: Duration
    /// A reviewed plan to apply exactly, with its path; refused when stale.
    public var saved: (plan: SavedPlan, path: String)?
    public var approval: Approval
    public var lock: LockPolicy
    /// Set when the process is asked to stop: no new bank call starts.
    public var stop: StopRequest?
    /// How often a person's step is polled while apply waits for them.
    public var pollInterval: Duration
    /// Record in state what changed at the banks outside provision (the drift), calling no write API.
    public var refreshOnly = false
    /// How the person ran provision: the commands the plan's person steps print are written for it.
    public var invocation = Invocation()

    public init(
        allowDelete: Bool = false, force: Bool = false, parallelism: Int = EngineSettings.defaultParallelism,
        waitForPeople: Duration = .zero, saved: (plan: SavedPlan, path: String)? = nil, approval: Approval,
        lock: LockPolicy = LockPolicy(), stop: StopRequest? = nil, pollInterval: Duration = .seconds(2)
    ) {
        self.allowDelete = allowDelete
        self.force = force
        self.parallelism = parallelism
        self.waitForPeople = waitForPeople
        self.saved = saved
        self.approval = approval
        self.lock = lock
        self.stop = stop
        self.pollInterval = pollInterval
    }
}

/// What an apply tells while it runs.
public enum ApplyProgressEvent: Sendable {
    /// The plan is made and checked; `asking` when a person is asked to approve it next.
    case planned(Plan, asking: Bool)
    /// For `--refresh-only`: the drift that will be recorded; `asking` as for `planned`.
    case drift(Plan, asking: Bool)
    /// One step's progress.
    case step(ApplyEvent)
}

/// What an apply did, and the exit code it decided.
public struct ApplyResult: Sendable {
    /// What the steps did; nil when nothing was applied because the person said no.
    public var report: ApplyReport?
    public var cancelled: Bool { report == nil }

    /// 1 when cancelled; else the report's code (0 converged, 1 failed, 3 waiting on a person, 128 + a signal).
    public var exitCode: Int32 { report?.exitCode ?? 1 }
}

/// Plans (or checks a saved plan is still current), asks for approval when something will change, and applies with
/// the journal written before every bank call; records the apply for the environments that promote from this one.
///
/// Invariant: the state lock is held and the journal open before any bank is contacted; nothing is changed at a bank
/// before the plan is approved.
public struct ApplyOperation: Sendable {
    public let request: ApplyRequest

    public init(_ request: ApplyRequest) {
        self.request = request
    }

    public func run(in workspace: Workspace, events: @escaping @Sendable (ApplyProgressEvent) -> Void = { _ in }) async throws -> ApplyResult {
        try await workspace.locked("apply", request.lock) {
            try await workspace.journaled("apply") { journal in
                try await workspace.connected { providers in
                    try await apply(in: workspace, providers: providers, journal: journal, events: events)
                }
            }
        }
    }

    func apply(
        in workspace: Workspace, providers: [String: any Provider], journal: Journal, events: @escaping @Sendable (ApplyProgressEvent) -> Void
    ) async throws -> ApplyResult {
        var state = try await workspace.backend.load()
        let verdict = try await workspace.verdict(
            providers: providers, state: state, allowDelete: request.saved?.plan.allowDelete ?? request.allowDelete, force: request.force,
            invocation: request.invocation)
        if request.refreshOnly { return try await recordDrift(verdict.plan, state: &state, in: workspace, journal: journal, events: events) }
        let approval = verdict.needsApproval(reviewed: request.saved != nil) ? request.approval : .given
        events(.planned(verdict.plan, asking: approval.asks))
        try verdict.checkApplicable(saved: request.saved, manifest: workspace.manifest, state: state)
        guard try await approval.approves(verdict.plan) else { return ApplyResult(report: nil) }
        let report = try await Applier(providers: providers, store: workspace.backend).apply(
            verdict.plan, manifest: workspace.manifest, state: &state, parallelism: request.parallelism,
            waitForPeople: request.waitForPeople, pollInterval: request.pollInterval, stop: request.stop, journal: journal
        ) { events(.step($0)) }
        try await workspace.recordApply(report, state: &state)
        return ApplyResult(report: report)
    }

    /// `--refresh-only`: after approval, state takes the values the banks hold for what drifted (a resource gone
    /// from its bank leaves state), each after its journal line; no write API is called.
    func recordDrift(
        _ plan: Plan, state: inout State, in workspace: Workspace, journal: Journal, events: @escaping @Sendable (ApplyProgressEvent) -> Void
    ) async throws -> ApplyResult {
        let asking = !plan.drift.isEmpty && request.approval.asks
        events(.drift(plan, asking: asking))
        guard !plan.drift.isEmpty else { return ApplyResult(report: ApplyReport()) }
        guard try await request.approval.approves(plan) else { return ApplyResult(report: nil) }
        var report = ApplyReport()
        for drift in plan.drift {
            guard var entry = state[drift.address] else { continue }
            try await journal.write(JournalEntry(
                entry: "outcome", address: drift.address.description, action: "refresh", remoteID: entry.remoteID,
                outcome: drift.gone ? "gone from the bank: dropped from state" : "recorded as the bank holds it"))
            if drift.gone {
                state[drift.address] = nil
            } else {
                for change in drift.attributeChanges { entry.attributes[change.name] = change.after }
                state[drift.address] = entry
            }
            report.applied.append(drift.address)
        }
        try await workspace.backend.save(&state)
        return ApplyResult(report: report)
    }
}

extension Approval {
    /// A person will be asked.
    var asks: Bool {
        if case .ask = self { return true }
        return false
    }

    /// Whether `plan` may be carried out: given, or a person said yes; throws when nobody can be asked.
    func approves(_ plan: Plan) async throws -> Bool {
        switch self {
        case .given: return true
        case .unavailable(let why): throw ReconcilerError.approvalUnavailable(reason: why)
        case .ask(let ask): return try await ask(plan)
        }
    }
}

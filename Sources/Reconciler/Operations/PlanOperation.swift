import Crypto
import PlanModel

/// What `plan` asks for.
public struct PlanRequest: Sendable {
    /// Resources in state that left the manifest are planned for deletion (unless protected).
    public var allowDelete: Bool
    /// The safety threshold is waived.
    public var force: Bool
    /// Where to save the plan for `apply --plan`; nil to save nothing.
    public var savePath: String?
    /// The plan as people read it, kept in the saved file beside what apply checks.
    public var describe: @Sendable (Plan) -> String
    /// The key the saved plan is signed with (`PROVISION_PLAN_KEY`); nil to leave it unsigned.
    public var signingKey: SymmetricKey?
    /// How the person ran provision: the commands the plan prints are written for it.
    public var invocation: Invocation

    public init(
        allowDelete: Bool = false, force: Bool = false, savePath: String? = nil, describe: @escaping @Sendable (Plan) -> String = { _ in "" },
        signingKey: SymmetricKey? = nil, invocation: Invocation = Invocation()
    ) {
        self.invocation = invocation
        self.allowDelete = allowDelete
        self.force = force
        self.savePath = savePath
        self.describe = describe
        self.signingKey = signingKey
    }
}

/// Refreshes live state, diffs it against the manifest and judges the plan; saves it when asked. Calls no write API
/// and changes no state.
public struct PlanOperation: Sendable {
    public let request: PlanRequest

    public init(_ request: PlanRequest) {
        self.request = request
    }

    /// - Parameter onRefresh: hears each provider's refresh start and end (for a progress line).
    public func run(in workspace: Workspace, onRefresh: @escaping @Sendable (RefreshEvent) -> Void = { _ in }) async throws -> PlanVerdict {
        try await workspace.connected { providers in
            let state = try await workspace.backend.load()
            let verdict = try await workspace.verdict(
                providers: providers, state: state, allowDelete: request.allowDelete, force: request.force,
                invocation: request.invocation, onRefresh: onRefresh)
            if let path = request.savePath {
                try SavedPlan(
                    plan: verdict.plan, manifest: workspace.manifest, state: state, manifestPath: workspace.loaded.path,
                    allowDelete: request.allowDelete, planText: request.describe(verdict.plan)
                ).write(to: path, key: request.signingKey)
            }
            return verdict
        }
    }
}

/// Reports what changed at the banks outside provision since the last apply: the plan's drift, judged by
/// `PlanVerdict.driftExitCode`. Calls no write API and changes no state.
public struct DriftOperation: Sendable {
    /// How the person ran provision: the commands the plan prints are written for it.
    public let invocation: Invocation

    public init(invocation: Invocation = Invocation()) {
        self.invocation = invocation
    }

    public func run(in workspace: Workspace) async throws -> PlanVerdict {
        try await PlanOperation(PlanRequest(allowDelete: false, force: true, invocation: invocation)).run(in: workspace)
    }
}

import PlanModel

/// Why a step failed, kept structured all the way into the report and the journal.
public struct StepFailure: Sendable, CustomStringConvertible {
    public var address: ResourceAddress
    public var message: String
    /// The bank's rejection, with its request id and whether the change may have partly applied; nil for other failures.
    public var providerError: ProviderError?

    public init(address: ResourceAddress, error: any Error) {
        self.address = address
        self.message = "\(error)"
        self.providerError = error as? ProviderError
    }

    public var description: String { message }
}

/// Carries out one step that calls a bank: create, update, replace, delete, or a person's step.
///
/// Never throws: a bank's failure becomes `.failed`, an engine error `.aborted`, whatever the action.
struct StepRunner: Sendable {
    let provider: any Provider
    let resource: Resource?
    let context: ApplyContext
    let pending: PendingStep
    let waitForPeople: Duration
    let pollInterval: Duration
    let stop: StopRequest?
    let announce: @Sendable (ApplyEvent) -> Void

    func run(_ change: Change) async -> StepResult {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome: StepResult.Outcome
        do {
            outcome = try await perform(change, deadline: start.advanced(by: waitForPeople))
        } catch let error as ReconcilerError {
            outcome = .aborted(error)
        } catch {
            outcome = .failed(StepFailure(address: change.address, error: error))
        }
        return StepResult(change: change, outcome: outcome, seconds: start.duration(to: clock.now).seconds)
    }

    func perform(_ change: Change, deadline: ContinuousClock.Instant) async throws -> StepResult.Outcome {
        if change.action == .delete {
            guard let step = try await provider.delete(change, context: context, pending: pending) else { return .deleted }
            announce(.personStep(change, step))
            return .waiting(step)
        }
        guard let resource else { throw ReconcilerError.unknownAddress(address: change.address.description, known: []) }
        if change.action == .interactive { return try await personStep(change, resource: resource, until: deadline) }
        return .applied(try await provider.apply(change, resource: resource, context: context))
    }

    /// Starts or resumes a person's step, announces where they go, and polls until they finish or `deadline` passes.
    /// A step the bank ended before this run is started anew; one it ends while this run waits fails the step at once.
    func personStep(_ change: Change, resource: Resource, until deadline: ContinuousClock.Instant) async throws -> StepResult.Outcome {
        var pending = pending
        do {
            if let done = try await provider.poll(resource, context: context) { return .applied(done) }
        } catch is PersonStepEnded {
            pending = .none
        }
        guard let step = try await provider.begin(change, resource: resource, context: context, pending: pending) else {
            return .waiting(nil)
        }
        announce(.personStep(change, step))
        while ContinuousClock.now < deadline, stop?.requested == nil {
            try await Task.sleep(for: min(pollInterval, ContinuousClock.now.duration(to: deadline)))
            if let done = try await provider.poll(resource, context: context) { return .applied(done) }
        }
        return .waiting(step)
    }
}

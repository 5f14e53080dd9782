import Foundation
import PlanModel

/// Progress of an apply, one event per step; the CLI turns them into lines.
public enum ApplyEvent: Sendable {
    case started(Change)
    case finished(Change, AppliedResource?, seconds: Double)
    case failed(Change, StepFailure)
    case skipped(Change, because: ResourceAddress)
    case waiting(Change)
    /// A person's step was started: where they go and until when.
    case personStep(Change, PersonStep)
}

/// What an apply did.
public struct ApplyReport: Sendable {
    public var applied: [ResourceAddress] = []
    public var failed: [StepFailure] = []
    public var skipped: [ResourceAddress] = []
    public var waiting: [ResourceAddress] = []
    public var notes: [String] = []
    /// Steps never started because a stop was requested; empty otherwise.
    public var notStarted: [ResourceAddress] = []
    /// The signal that stopped the apply early, if one did.
    public var stoppedBy: Int32?

    public var converged: Bool { failed.isEmpty && skipped.isEmpty && waiting.isEmpty && notStarted.isEmpty }
}

/// Executes a plan as a graph: a step starts once the steps it depends on have finished, up to `parallelism`
/// bank calls at once. State is saved after every resource (`StateBackend.save(_:changing:)`: in the local folder
/// one appended line, the whole file now and then and at the end), so an interrupted apply loses nothing.
///
/// One loop owns the state, the report, the journal and the events: the `Scheduler` starts bank calls as child tasks
/// of a task group, each made by a `StepRunner`; they hand their outcomes back to the loop, which records each one
/// and saves state before starting what it unblocks.
///
/// Invariant: every bank call's intent line is in the journal before the call starts, and every outcome line before
/// the state change it leads to; a line that cannot be written stops the apply (calls in flight are still recorded).
public struct Applier: Sendable {
    public let providers: [String: any Provider]
    /// Where each resource change is saved as it happens.
    public let store: any StateBackend

    public init(providers: [String: any Provider], store: any StateBackend) {
        self.providers = providers
        self.store = store
    }

    /// Refuses a plan with errors. A failed step skips the steps that depend on it (transitively); the others go on.
    /// The report's lists are sorted by address.
    ///
    /// - Parameter parallelism: the most bank calls in flight at once (at least 1).
    /// - Parameter waitForPeople: how long an interactive step started by the API is polled for the person to finish.
    /// - Parameter journal: where intents and outcomes go; nil opens one of its own on the store for this apply.
    public func apply(
        _ plan: Plan, manifest: Manifest, state: inout State, parallelism: Int = EngineSettings.defaultParallelism,
        waitForPeople: Duration = .zero, pollInterval: Duration = .seconds(2), stop: StopRequest? = nil, journal: Journal? = nil,
        onEvent: @escaping @Sendable (ApplyEvent) -> Void = { _ in }
    ) async throws -> ApplyReport {
        let errors = plan.changes.filter { $0.action.isError }.count
        guard errors == 0 else { throw ReconcilerError.planHasErrors(count: errors) }
        guard let journal else {
            let own = try await Journal.open(store, operation: "apply")
            do {
                let report = try await apply(
                    plan, manifest: manifest, state: &state, parallelism: parallelism, waitForPeople: waitForPeople,
                    pollInterval: pollInterval, stop: stop, journal: own, onEvent: onEvent)
                await own.close()
                return report
            } catch {
                await own.close()
                throw error
            }
        }
        var run = ApplyRun(
            providers: providers, store: store, journal: journal, state: state,
            resources: ResourceIndex(manifest.resources),
            waitForPeople: waitForPeople, pollInterval: pollInterval, stop: stop, announce: onEvent)
        run.context.resources = run.resources
        // Room for every address the plan adds: a table that grows while it fills holds its old buckets and its new
        // at once (30 MB at 50,000 entries).
        let adding = plan.changes.reduce(0) { state.resources[$1.address] == nil ? $0 + 1 : $0 }
        run.state.resources.reserveCapacity(state.resources.count + adding)
        for (address, entry) in state.resources {
            if let id = entry.remoteID { run.context.remoteIDs[address] = id }
        }
        for change in plan.changes {
            if let id = change.remoteID { run.context.remoteIDs[change.address] = id }
        }
        try await run.followMoves(plan.changes, onEvent: onEvent)
        let (failure, notStarted): ((any Error)?, [Change]) = await withTaskGroup(of: StepResult.self) { group in
            var scheduler = Scheduler(pending: plan.changes, limit: max(1, parallelism), resources: run.resources)
            var abort: (any Error)?
            while true {
                if abort == nil, Task.isCancelled { abort = CancellationError() }
                if abort == nil, stop?.requested == nil {
                    do {
                        try await scheduler.launch(&run, into: &group, onEvent: onEvent)
                    } catch {
                        abort = error
                    }
                }
                guard scheduler.running > 0, let result = await group.next() else { break }
                scheduler.running -= 1
                // Even after an abort, what the banks did is recorded: calls in flight are waited for, never dropped.
                do {
                    try await run.record(result, onEvent: onEvent)
                } catch {
                    if abort == nil { abort = error }
                }
            }
            return (abort, scheduler.pending)
        }
        // What the change lines hold goes into the state file once, whether the apply finished or stopped.
        var flushFailure: (any Error)?
        do { try await store.flush(&run.state) } catch { flushFailure = error }
        state = run.state
        if let failure = failure ?? flushFailure { throw failure }
        var report = run.finalReport()
        if let signal = stop?.requested {
            report.stoppedBy = signal
            report.notStarted = notStarted.map(\.address).sorted()
        }
        return report
    }
}

/// Which steps start when: in plan order, once the steps they depend on have finished, up to `limit` bank calls at once.
///
/// Taken steps leave holes in `slots` (no shifting); a scan that finds the calls full stops early unless a step
/// that needs no call may still be settled, so an apply of N independent creates scans O(N) slots in all.
struct Scheduler {
    var slots: [Change?]
    /// Slots before this one are all taken.
    var first = 0
    let planned: Set<ResourceAddress>
    let limit: Int
    /// Bank calls in flight.
    var running = 0
    /// Pending steps that never call a bank (no resource, or an action settled by the loop).
    var callFree: Int
    /// How many steps were broken at the end of the last full scan: a new one may have blocked pending steps.
    var brokenSeen = 0

    init(pending: [Change], limit: Int, resources: ResourceIndex) {
        self.slots = pending
        self.planned = Set(pending.map(\.address))
        self.limit = limit
        self.callFree = pending.filter { !Self.mayCall($0, resources) }.count
    }

    /// The steps not taken yet, in plan order.
    var pending: [Change] { slots[first...].compactMap { $0 } }

    static func mayCall(_ change: Change, _ resources: ResourceIndex) -> Bool {
        switch change.action {
        case .delete: return true
        case .create, .update, .replace, .interactive: return resources[change.address] != nil
        default: return false
        }
    }

    /// Starts every ready step while there is room and settles at once the steps that need no bank call.
    /// When nothing runs and nothing is ready, the rest wait on a cycle: the first goes, as a list would.
    mutating func launch(_ run: inout ApplyRun, into group: inout TaskGroup<StepResult>, onEvent: (ApplyEvent) -> Void) async throws {
        while true {
            var index = first
            while index < slots.count {
                if running >= limit, callFree == 0, run.broken.count == brokenSeen { break }
                guard let change = slots[index] else { index += 1; continue }
                guard run.isReady(change, planned: planned), !run.needsCall(change) || running < limit else { index += 1; continue }
                remove(at: index, run)
                if try await take(change, &run, into: &group, onEvent: onEvent) { index = first }  // it may have unblocked steps passed over
            }
            if index >= slots.count { brokenSeen = run.broken.count }
            guard running == 0, let next = slots[first...].firstIndex(where: { $0 != nil }), let change = slots[next] else { return }
            remove(at: next, run)
            _ = try await take(change, &run, into: &group, onEvent: onEvent)
        }
    }

    mutating func remove(at index: Int, _ run: ApplyRun) {
        if let change = slots[index], !Self.mayCall(change, run.resources) { callFree -= 1 }
        slots[index] = nil
        while first < slots.count, slots[first] == nil { first += 1 }
    }

    /// Starts the step's bank call, or settles it; true when it was settled.
    mutating func take(_ change: Change, _ run: inout ApplyRun, into group: inout TaskGroup<StepResult>, onEvent: (ApplyEvent) -> Void) async throws -> Bool {
        guard run.needsCall(change) else {
            try await run.settle(change, onEvent: onEvent)
            return true
        }
        let call = try run.start(change)
        try await run.journal.record(.started(change))
        onEvent(.started(change))
        group.addTask(operation: call)
        running += 1
        return false
    }
}

/// One bank call's outcome, handed back to the loop that owns the state.
struct StepResult: Sendable {
    enum Outcome: Sendable {
        case applied(AppliedResource)
        /// A person's step is under way (or the kind has none to start); its record resumes it next run.
        case waiting(PersonStep?)
        case deleted
        case failed(StepFailure)
        /// An engine error: the apply stops once the calls in flight have finished.
        case aborted(ReconcilerError)
    }

    let change: Change
    let outcome: Outcome
    let seconds: Double
}

/// The state of one apply, owned by its loop.
struct ApplyRun {
    let providers: [String: any Provider]
    let store: any StateBackend
    let journal: Journal
    var state: State
    let resources: ResourceIndex
    let waitForPeople: Duration
    let pollInterval: Duration
    /// Set when the run should stop early; a person's step stops waiting for them.
    let stop: StopRequest?
    /// For events a step sends while it runs: the URL of a person's step, before waiting for them.
    let announce: @Sendable (ApplyEvent) -> Void
    var context = ApplyContext(remoteIDs: [:])
    /// Ids this run's steps got, not yet in `context`: adding each one there would copy every id while calls in
    /// flight hold the context. A step gets those of its dependencies (every one, for a person's step), and they
    /// join `context` once they outnumber it (at least 64), so an apply of N steps copies O(N) ids in all.
    var fresh: [ResourceAddress: String] = [:]
    var report = ApplyReport()
    var notes: [ResourceAddress: [String]] = [:]
    /// Steps that finished in any way.
    var done = Set<ResourceAddress>()
    /// Steps that failed or were skipped: their dependents are skipped.
    var broken = Set<ResourceAddress>()

    func isReady(_ change: Change, planned: Set<ResourceAddress>) -> Bool {
        change.dependencies.allSatisfy { $0 == change.address || !planned.contains($0) || done.contains($0) }
    }

    /// The step calls a bank (as opposed to being settled at once by the loop).
    func needsCall(_ change: Change) -> Bool {
        switch change.action {
        case .delete: return true
        case .create, .update, .replace, .interactive:
            return resources[change.address] != nil && blocker(of: change) == nil && change.waitsFor.isEmpty
        default: return false
        }
    }

    func blocker(of change: Change) -> ResourceAddress? {
        change.dependencies.first(where: broken.contains)
    }

    /// The child task that makes a step's bank call; the caller journals and announces it before adding it.
    func start(_ change: Change) throws -> @Sendable () async -> StepResult {
        guard let provider = providers[change.address.instance] else {
            throw ReconcilerError.noProvider(instance: change.address.instance)
        }
        var context = self.context
        context.recorded = state[change.address]
        let wanted = change.action == .interactive ? Array(fresh.keys) : change.dependencies + [change.address]
        for address in wanted {
            if let id = fresh[address] { context.remoteIDs[address] = id }
        }
        let runner = StepRunner(
            provider: provider, resource: resources[change.address], context: context,
            pending: PendingStep(record: state[change.address]?.attributes ?? [:], secrets: store.secrets.load(change.address)),
            waitForPeople: waitForPeople, pollInterval: pollInterval, stop: stop, announce: announce)
        return { await runner.run(change) }
    }

    /// Records a bank call's outcome and saves state.
    mutating func record(_ result: StepResult, onEvent: (ApplyEvent) -> Void) async throws {
        let change = result.change
        done.insert(change.address)
        switch result.outcome {
        case .applied(let applied):
            let journalFailure = await journaling(.finished(change, applied, seconds: result.seconds))
            let protected = resources[change.address]?.protected ?? false
            remember(applied.remoteID, for: change.address)
            state[change.address] = StateEntry(remoteID: applied.remoteID, attributes: applied.attributes, protected: protected)
            try store.secrets.save([:], for: change.address)
            try await store.save(&state, changing: change.address)
            report.applied.append(change.address)
            notes[change.address, default: []] += applied.notes
            onEvent(.finished(change, applied, seconds: result.seconds))
            if let journalFailure { throw journalFailure }
        case .deleted:
            try await forget(change, seconds: result.seconds, onEvent: onEvent)
        case .waiting(let step):
            if let step {
                try await journal.record(.personStep(change, step))
                // A removal a person must finish keeps the resource tracked until it is done.
                let current = state[change.address]
                var record = current?.attributes ?? [:]
                record.merge(step.record) { _, new in new }
                state[change.address] = StateEntry(remoteID: current?.remoteID, attributes: record, protected: current?.protected ?? false)
                try store.secrets.save(step.secrets, for: change.address)
                try await store.save(&state, changing: change.address)
            }
            report.waiting.append(change.address)
            onEvent(.waiting(change))
        case .failed(let failure):
            if change.action != .delete { broken.insert(change.address) }
            report.failed.append(failure)
            let journalFailure = await journaling(.failed(change, failure))
            onEvent(.failed(change, failure))
            if let journalFailure { throw journalFailure }
        case .aborted(let error):
            broken.insert(change.address)
            throw error
        }
    }

    /// Moves the state entries of the plan's moved resources (`moved:`) to their new addresses, each after its journal
    /// line, calling no bank; a move that is the whole change counts as applied.
    mutating func followMoves(_ changes: [Change], onEvent: (ApplyEvent) -> Void) async throws {
        for change in changes {
            guard let from = change.movedFrom, let entry = state[from], state[change.address] == nil else { continue }
            try await journal.write(JournalEntry(entry: "move", address: change.address.description, action: "move", remoteID: entry.remoteID, note: "from \(from)"))
            state[from] = nil
            state[change.address] = entry
            try await store.save(&state)
            guard change.action == .noop else { continue }
            report.applied.append(change.address)
            onEvent(.finished(change, nil, seconds: 0))
        }
    }

    /// Journals an outcome the bank already gave: a line that cannot be written is returned, not thrown, so that what
    /// the bank did still reaches the state before the apply stops.
    func journaling(_ event: ApplyEvent) async -> (any Error)? {
        do {
            try await journal.record(event)
            return nil
        } catch {
            return error
        }
    }

    mutating func remember(_ id: String, for address: ResourceAddress) {
        fresh[address] = id
        guard fresh.count >= max(64, context.remoteIDs.count) else { return }
        context.remoteIDs.merge(fresh) { _, new in new }
        fresh = [:]
    }

    /// Settles a step that needs no bank call: a skip, adopt, check, wait for a person, forget or nothing.
    mutating func settle(_ change: Change, onEvent: (ApplyEvent) -> Void) async throws {
        defer { done.insert(change.address) }
        if change.action == .forget {
            try await forget(change, seconds: 0, onEvent: onEvent)
            return
        }
        guard let resource = resources[change.address] else { return }
        if !change.waitsFor.isEmpty {
            // A person's step comes first: not attempted, reported as waiting (exit 3), run by a later apply.
            report.waiting.append(change.address)
            onEvent(.waiting(change))
            return
        }
        if let blocker = blocker(of: change) {
            broken.insert(change.address)
            report.skipped.append(change.address)
            onEvent(.skipped(change, because: blocker))
            return
        }
        switch change.action {
        case .adopt, .check:
            guard let id = change.remoteID else { return }
            let recorded = state[change.address]
            // A pending entry (a person's step under way) holds no attributes of the object: take what the bank shows.
            let attributes = recorded?.remoteID != nil ? recorded!.attributes : (change.before ?? resource.attributes)
            let entry = StateEntry(remoteID: id, attributes: attributes, protected: resource.protected)
            if change.action == .adopt { try await journal.record(.finished(change, nil, seconds: 0)) }
            if recorded != entry {
                state[change.address] = entry
                try await store.save(&state, changing: change.address)
            }
            if change.action == .adopt {
                report.applied.append(change.address)
                onEvent(.finished(change, nil, seconds: 0))
            }
        case .manual, .interactive:
            report.waiting.append(change.address)
            onEvent(.waiting(change))
        case .create, .update, .replace, .delete, .forget, .noop, .missing, .conflict, .orphan:
            return
        }
    }

    /// Drops a deleted or forgotten resource from state; for a kind the bank cannot delete, its steps go to a person.
    mutating func forget(_ change: Change, seconds: Double, onEvent: (ApplyEvent) -> Void) async throws {
        let journalFailure = await journaling(.finished(change, nil, seconds: seconds))
        if let journalFailure, change.action == .forget { throw journalFailure }
        state[change.address] = nil
        try store.secrets.save([:], for: change.address)
        try await store.save(&state, changing: change.address)
        report.applied.append(change.address)
        notes[change.address, default: []] += change.steps
        onEvent(.finished(change, nil, seconds: seconds))
        if let journalFailure { throw journalFailure }
    }

    /// The report with every list sorted by address, and notes in address order.
    func finalReport() -> ApplyReport {
        var sorted = report
        sorted.applied.sort()
        sorted.failed.sort { $0.address < $1.address }
        sorted.skipped.sort()
        sorted.waiting.sort()
        sorted.notes = notes.keys.sorted().flatMap { notes[$0]! }
        return sorted
    }
}

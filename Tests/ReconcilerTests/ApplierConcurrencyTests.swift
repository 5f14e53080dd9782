import Foundation
import PlanModel
import Reconciler
import Synchronization
import Testing

/// The applier as a graph: parallel where it may, in order where it must, state saved after every resource.
struct ApplierConcurrencyTests {
    struct FakeFailure: Error, CustomStringConvertible {
        var description: String { "the fake bank said no" }
    }

    /// One call to the fake provider, with ticks of a shared counter (start before end, in the order they happened).
    struct Call: Sendable {
        var address: ResourceAddress
        var started: Int
        var ended: Int
        var context: [ResourceAddress: String]
    }

    struct Log {
        var tick = 0
        var inFlight = 0
        var maxInFlight = 0
        var calls: [ResourceAddress: Call] = [:]
    }

    /// A provider that records its calls, optionally sends one POST per create through a transport, and fails on request.
    final class FakeProvider: Provider {
        let name = "fake"
        let delay: Duration
        let failing: Set<String>
        let aborting: Set<String>
        let transport: (any HTTPTransport)?
        let log = Mutex(Log())

        init(delay: Duration = .zero, failing: Set<String> = [], aborting: Set<String> = [], transport: (any HTTPTransport)? = nil) {
            self.delay = delay
            self.failing = failing
            self.aborting = aborting
            self.transport = transport
        }

        var calls: [ResourceAddress: Call] { log.withLock { $0.calls } }
        var maxInFlight: Int { log.withLock { $0.maxInFlight } }

        func refresh(_ resources: [Resource], state: [ResourceAddress: StateEntry]) async throws -> [ResourceAddress: Observation] {
            [:]
        }

        func apply(_ change: Change, resource: Resource, context: ApplyContext) async throws -> AppliedResource {
            let started = log.withLock { log in
                log.tick += 1
                log.inFlight += 1
                log.maxInFlight = max(log.maxInFlight, log.inFlight)
                return log.tick
            }
            defer {
                log.withLock { log in
                    log.tick += 1
                    log.inFlight -= 1
                    log.calls[change.address] = Call(address: change.address, started: started, ended: log.tick, context: context.remoteIDs)
                }
            }
            if let transport { _ = try await transport.send(HTTPCall(method: "POST", url: "fake://bank/items")) }
            if delay > .zero { try await Task.sleep(for: delay) }
            let name = change.address.name ?? ""
            if aborting.contains(name) { throw ReconcilerError.unresolvedReference(address: change.address, reference: nil) }
            if failing.contains(name) { throw FakeFailure() }
            return AppliedResource(remoteID: "id-\(name)", attributes: resource.attributes, notes: ["note for \(name)"])
        }
    }

    /// Records when each request reached the bank.
    final class ArrivalRecorder: HTTPTransport {
        let arrivals = Mutex<[ContinuousClock.Instant]>([])

        func send(_ call: HTTPCall) async throws -> HTTPReply {
            let now = ContinuousClock.now
            arrivals.withLock { $0.append(now) }
            return HTTPReply(status: 201, body: [])
        }
    }

    static let here = SourceLocation(file: "test.yaml", line: 1, column: 1)

    static func address(_ name: String) -> ResourceAddress {
        ResourceAddress(instance: "fake", kind: "items", name: name)
    }

    /// Creates for `names`, each depending on the names given for it.
    static func setup(_ names: [String], dependsOn: [String: [String]] = [:]) -> (Manifest, Plan) {
        var resources: [Resource] = []
        var changes: [Change] = []
        for name in names {
            let dependencies = (dependsOn[name] ?? []).map(address)
            var references: [String: ResourceAddress] = [:]
            for (index, dependency) in dependencies.enumerated() { references["ref\(index)"] = dependency }
            resources.append(Resource(
                address: address(name), providerType: "fake", capability: .managed,
                attributes: ["label": .string(name)], references: references, location: here))
            changes.append(Change(address: address(name), action: .create, dependencies: dependencies, after: ["label": .string(name)]))
        }
        return (Manifest(version: 1, providers: [], resources: resources), Plan(changes: changes, providers: ["fake": "fake"]))
    }

    static func temporaryStore() -> StateStore {
        StateStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("provision-applier-\(UUID().uuidString)"))
    }

    static func names(_ count: Int) -> [String] {
        (1...count).map { String(format: "item%03d", $0) }
    }

    func run(
        _ provider: FakeProvider, _ manifest: Manifest, _ plan: Plan, parallelism: Int = 8, store: StateStore = temporaryStore(),
        onEvent: @escaping @Sendable (ApplyEvent) -> Void = { _ in }
    ) async throws -> (ApplyReport, State) {
        var state = State()
        let report = try await Applier(providers: ["fake": provider], store: store)
            .apply(plan, manifest: manifest, state: &state, parallelism: parallelism, onEvent: onEvent)
        return (report, state)
    }

    /// The most arrivals in any window `[t, t + window)`.
    static func busiest(_ arrivals: [ContinuousClock.Instant], window: Duration) -> Int {
        let sorted = arrivals.sorted()
        var most = 0
        var end = 0
        for (begin, time) in sorted.enumerated() {
            while end < sorted.count, sorted[end] < time + window { end += 1 }
            most = max(most, end - begin)
        }
        return most
    }

    @Test func hundredCreatesNeverExceedTheRateInAnyWindow() async throws {
        // 1000/s keeps the test short; the windows scale with it (50 ms holds at most 50 requests).
        let bank = ArrivalRecorder()
        let limiter = RateLimiter(requestsPerSecond: 1000)
        let provider = FakeProvider(transport: RetryingTransport(bank, limiter: limiter))
        let (manifest, plan) = Self.setup(Self.names(100))
        let (report, _) = try await run(provider, manifest, plan, parallelism: 8)
        #expect(report.applied.count == 100)
        let arrivals = bank.arrivals.withLock { $0 }
        #expect(arrivals.count == 100)
        #expect(await limiter.released == 100)
        for (window, limit) in [(Duration.milliseconds(50), 50), (.milliseconds(20), 20), (.seconds(1), 1000)] {
            #expect(Self.busiest(arrivals, window: window) <= limit, "more than \(limit) requests in a window of \(window)")
        }
    }

    @Test func independentCreatesOverlapUpToTheParallelism() async throws {
        let (manifest, plan) = Self.setup(Self.names(16))
        let provider = FakeProvider(delay: .milliseconds(20))
        let (report, _) = try await run(provider, manifest, plan, parallelism: 4)
        #expect(report.applied.count == 16)
        #expect(provider.maxInFlight > 1)
        #expect(provider.maxInFlight <= 4)

        let serial = FakeProvider(delay: .milliseconds(1))
        _ = try await run(serial, manifest, plan, parallelism: 1)
        #expect(serial.maxInFlight == 1)
    }

    @Test func aChainRunsStrictlyInOrderAndSeesEarlierIDs() async throws {
        // c → b → a, with independent neighbours that may run alongside.
        let (manifest, plan) = Self.setup(["a", "b", "c", "x", "y", "z"], dependsOn: ["b": ["a"], "c": ["b"]])
        let provider = FakeProvider(delay: .milliseconds(5))
        let (report, _) = try await run(provider, manifest, plan)
        #expect(report.converged && report.applied.count == 6)
        let calls = provider.calls
        let a = try #require(calls[Self.address("a")])
        let b = try #require(calls[Self.address("b")])
        let c = try #require(calls[Self.address("c")])
        #expect(a.ended < b.started)
        #expect(b.ended < c.started)
        #expect(b.context[Self.address("a")] == "id-a")
        #expect(c.context[Self.address("b")] == "id-b")
        #expect(provider.maxInFlight > 1)
    }

    @Test func aFailureSkipsItsDependentsOnly() async throws {
        let (manifest, plan) = Self.setup(
            ["a", "b", "c", "d", "e"], dependsOn: ["b": ["a"], "c": ["b"], "e": ["d"]])
        let provider = FakeProvider(failing: ["a"])
        let events = Mutex<[String]>([])
        let (report, state) = try await run(provider, manifest, plan) { event in
            if case .skipped(let change, let blocker) = event {
                events.withLock { $0.append("\(change.address.name!) because \(blocker.name!)") }
            }
        }
        #expect(report.failed.map(\.address) == [Self.address("a")])
        #expect(report.failed.first?.message == "the fake bank said no")
        #expect(report.skipped == [Self.address("b"), Self.address("c")])
        #expect(report.applied == [Self.address("d"), Self.address("e")])
        #expect(Set(provider.calls.keys) == [Self.address("a"), Self.address("d"), Self.address("e")])
        #expect(events.withLock { $0 } == ["b because a", "c because b"])
        #expect(state[Self.address("d")]?.remoteID == "id-d")
        #expect(state[Self.address("a")] == nil)
    }

    @Test func stateIsSavedAfterEachResource() async throws {
        let store = Self.temporaryStore()
        let (manifest, plan) = Self.setup(Self.names(12), dependsOn: ["item002": ["item001"]])
        let provider = FakeProvider(delay: .milliseconds(2))
        let seen = Mutex<[(serial: Int, has: Bool)]>([])
        let (report, state) = try await run(provider, manifest, plan, parallelism: 4, store: store) { event in
            if case .finished(let change, _, _) = event {
                let saved = try? store.load()
                seen.withLock { $0.append((saved?.serial ?? -1, saved?[change.address] != nil)) }
            }
        }
        #expect(report.applied.count == 12)
        let serials = seen.withLock { $0 }
        #expect(serials.map(\.serial) == Array(1...12))
        #expect(serials.allSatisfy { $0.has })
        #expect(try store.load().serial == 12)
        #expect(try store.load() == state)
    }

    @Test func theReportIsSortedByAddress() async throws {
        let (manifest, plan) = Self.setup(Self.names(20))
        // Eight at a time finish in whatever order they finish; the report does not show it.
        let provider = FakeProvider(delay: .milliseconds(1))
        let (report, _) = try await run(provider, manifest, plan)
        #expect(report.applied == Self.names(20).map(Self.address))
        #expect(report.notes == Self.names(20).map { "note for \($0)" })
    }

    @Test func anEngineErrorStopsTheApplyButKeepsWhatFinished() async throws {
        let store = Self.temporaryStore()
        let (manifest, plan) = Self.setup(["a", "b", "c", "later"], dependsOn: ["later": ["a", "b", "c"]])
        let provider = FakeProvider(delay: .milliseconds(5), aborting: ["b"])
        await #expect(throws: ReconcilerError.self) {
            _ = try await run(provider, manifest, plan, store: store)
        }
        let saved = try store.load()
        #expect(saved[Self.address("a")]?.remoteID == "id-a")
        #expect(saved[Self.address("c")]?.remoteID == "id-c")
        #expect(provider.calls[Self.address("later")] == nil)
    }

    @Test func aPlanWithErrorsIsRefused() async throws {
        let (manifest, _) = Self.setup(["a"])
        let plan = Plan(changes: [Change(address: Self.address("a"), action: .missing)], providers: ["fake": "fake"])
        await #expect(throws: ReconcilerError.self) {
            _ = try await run(FakeProvider(), manifest, plan)
        }
    }

    @Test func aDependencyCycleDoesNotHang() async throws {
        let (manifest, plan) = Self.setup(["a", "b"], dependsOn: ["a": ["b"], "b": ["a"]])
        let provider = FakeProvider()
        let (report, _) = try await run(provider, manifest, plan)
        #expect(report.applied == [Self.address("a"), Self.address("b")])
    }
}

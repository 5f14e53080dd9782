import ArgumentParser
import Foundation
import PlanModel
import Reconciler
import Synchronization

/// Times the applier against an in-memory bank that allows a number of requests per second.
@main
struct ProvisionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision-bench",
        abstract: "Apply many independent creates to an in-memory rate-limited bank and check the pace.",
        discussion: """
            The creates go through the same path as a real apply: the applier's graph loop, then a transport \
            that takes a token from the provider's rate limiter and retries what is safe to retry. The \
            simulated bank records when every request arrives and answers 429 to any request beyond the rate \
            in the second before it. PASS: no 1-second window holds more than --rate requests, every create \
            succeeded, and the apply took within 10% of creates/rate seconds. Exit code 1 on FAIL.
            """)

    @Option(help: "How many independent creates to apply.")
    var creates = 100

    @Option(help: "The bank's limit and the provider's rate_limit, in requests per second.")
    var rate = 20

    @Option(help: "The most bank calls in flight at once.")
    var parallelism = 8

    @Option(name: .customLong("latency-ms"), help: "How long the simulated bank takes to answer, in milliseconds.")
    var latencyMilliseconds = 150

    func validate() throws {
        guard creates >= 1 else { throw ValidationError("--creates must be at least 1.") }
        guard rate >= 1 else { throw ValidationError("--rate must be at least 1.") }
        guard parallelism >= 1 else { throw ValidationError("--parallelism must be at least 1.") }
        guard latencyMilliseconds >= 0 else { throw ValidationError("--latency-ms must not be negative.") }
    }

    func run() async throws {
        do {
            let bank = SimulatedBank(rate: rate, latency: .milliseconds(latencyMilliseconds))
            let transport = RetryingTransport(bank, limiter: RateLimiter(requestsPerSecond: rate))
            let provider = BenchProvider(name: "bench", transport: transport)
            let resources = (1...creates).map { index in
                Resource(
                    address: ResourceAddress(instance: "bench", kind: "accounts", name: String(format: "account%04d", index)),
                    providerType: "bench", capability: .managed, attributes: ["account_name": .string("ACCOUNT \(index)")],
                    location: SourceLocation(file: "bench", line: index, column: 1))
            }
            let manifest = Manifest(version: 1, providers: [], resources: resources)
            let plan = Plan(
                changes: resources.map { Change(address: $0.address, action: .create, after: $0.attributes) },
                providers: ["bench": "bench"])
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("provision-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = StateStore(directory: directory)
            var state = State()

            print("Applying \(creates) independent creates, parallelism \(parallelism), to a bank allowing \(rate) requests/s (\(latencyMilliseconds) ms per answer)...")
            let clock = ContinuousClock()
            let start = clock.now
            let report = try await Applier(providers: ["bench": provider], store: store)
                .apply(plan, manifest: manifest, state: &state, parallelism: parallelism)
            let elapsed = start.duration(to: clock.now).seconds

            let arrivals = bank.arrivals.map { start.duration(to: $0).seconds }
            let busiest = Self.busiestSecond(arrivals)
            let target = Double(creates) / Double(rate)
            let paceOK = abs(elapsed - target) <= target * 0.1
            let limitOK = busiest <= rate && bank.rejected == 0
            let allApplied = report.applied.count == creates && report.converged
            print(String(format: "elapsed: %.3f s (target %.2f s ± 10%%: %.2f–%.2f s)", elapsed, target, target * 0.9, target * 1.1))
            print("requests: \(arrivals.count), rejected by the bank (429): \(bank.rejected), state serial: \(state.serial)")
            print("max requests in any 1-second window: \(busiest) (limit \(rate))")
            print("applied: \(report.applied.count)/\(creates), failed: \(report.failed.count), max in flight: \(bank.maxInFlight)")
            let pass = paceOK && limitOK && allApplied
            var reasons: [String] = []
            if !limitOK { reasons.append("above \(rate) requests in a second") }
            if !paceOK { reasons.append("elapsed not within 10% of \(String(format: "%.2f", target)) s") }
            if !allApplied { reasons.append("not every create applied") }
            print(pass ? "PASS" : "FAIL: " + reasons.joined(separator: "; "))
            if !pass { throw ExitCode.failure }
        }
    }

    /// The most arrivals in any window `[t, t + 1 s)`, over every arrival time `t` (the busiest windows start at one).
    static func busiestSecond(_ times: [Double]) -> Int {
        let sorted = times.sorted()
        var most = 0
        var end = 0
        for (begin, time) in sorted.enumerated() {
            while end < sorted.count, sorted[end] < time + 1 { end += 1 }
            most = max(most, end - begin)
        }
        return most
    }
}

/// An in-memory bank: records every arrival, refuses with 429 what goes beyond its rate in the preceding second.
final class SimulatedBank: HTTPTransport {
    struct Record {
        var arrivals: [ContinuousClock.Instant] = []
        var rejected = 0
        var inFlight = 0
        var maxInFlight = 0
        var nextID = 0
    }

    let rate: Int
    let latency: Duration
    let record = Mutex(Record())

    init(rate: Int, latency: Duration) {
        self.rate = rate
        self.latency = latency
    }

    var arrivals: [ContinuousClock.Instant] { record.withLock { $0.arrivals } }
    var rejected: Int { record.withLock { $0.rejected } }
    var maxInFlight: Int { record.withLock { $0.maxInFlight } }

    func send(_ call: HTTPCall) async throws -> HTTPReply {
        let now = ContinuousClock.now
        let admitted: Int? = record.withLock { record in
            record.arrivals.append(now)
            let lastSecond = record.arrivals.reversed().prefix { now - $0 < .seconds(1) }.count
            guard lastSecond <= rate else {
                record.rejected += 1
                return nil
            }
            record.nextID += 1
            record.inFlight += 1
            record.maxInFlight = max(record.maxInFlight, record.inFlight)
            return record.nextID
        }
        guard let id = admitted else {
            return HTTPReply(status: 429, headers: [("Retry-After", "1")], body: Array(#"{"error":"rate limited"}"#.utf8))
        }
        defer { record.withLock { $0.inFlight -= 1 } }
        try await Task.sleep(for: latency)
        return HTTPReply(status: 201, headers: [("Content-Type", "application/json")], body: Array(#"{"id":"acc-\#(id)"}"#.utf8))
    }
}

/// A provider whose every create is one POST through its transport.
struct BenchProvider: Provider {
    struct Rejected: Error, CustomStringConvertible {
        var status: Int
        var description: String { "the bank answered \(status)" }
    }

    let name: String
    let transport: any HTTPTransport

    func refresh(_ resources: [Resource], state: [ResourceAddress: StateEntry]) async throws -> [ResourceAddress: Observation] {
        [:]
    }

    func apply(_ change: Change, resource: Resource, context: ApplyContext) async throws -> AppliedResource {
        let body = try JSONEncoder().encode(["name": change.address.description])
        let reply = try await transport.send(HTTPCall(
            method: "POST", url: "memory://bench/accounts", headers: [("Content-Type", "application/json")], body: Array(body)))
        guard reply.status == 201,
              let object = try? JSONDecoder().decode([String: String].self, from: Data(reply.body)), let id = object["id"]
        else { throw Rejected(status: reply.status) }
        return AppliedResource(remoteID: id, attributes: resource.attributes)
    }
}

import Foundation
import Synchronization

/// Faults the sandbox injects into requests under every bank's mount, so the client's handling of a bad day at
/// the bank can be tried on purpose: `provision sandbox serve --faults SPEC`, or `PROVISION_SANDBOX_FAULTS` for
/// `endpoint: sandbox`.
///
/// SPEC is comma-separated `name=value`: rates from 0 to 1 for `5xx`, `429`, `drop` (the bank commits, then the
/// answer is lost: 504), `late` (the bank commits only after `late_delay`, when the client has given up),
/// `redirect` (307 to another origin) and `slow` (the answer trickles out one byte every `slow_delay`); durations
/// `latency`, `late_delay` and `slow_delay` (`250ms`, `2s`); and `seed` for a repeatable sequence.
///
/// Invariant: the rates add up to at most 1; each request draws once, in arrival order, from the seeded sequence.
public struct SandboxFaults: Sendable, Equatable {
    public enum Fault: String, Sendable, CaseIterable {
        case serverError = "5xx", rateLimited = "429", drop, late, redirect, slow
    }

    public var rates: [Fault: Double] = [:]
    public var latency: Duration = .zero
    public var lateDelay: Duration = .seconds(35)
    public var slowDelay: Duration = .seconds(1)
    public var seed: UInt64 = 1

    public init() {}

    /// A spec that cannot be read, with what to write instead.
    public struct SpecProblem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a spec such as `5xx=0.1,429=0.05,drop=0.05,latency=20ms,seed=7`.
    public init(spec: String) throws(SpecProblem) {
        for part in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw SpecProblem(description: "\"\(part)\" is not name=value") }
            try set(pair[0], pair[1])
        }
        let total = rates.values.reduce(0, +)
        guard total <= 1 else { throw SpecProblem(description: "the fault rates add up to \(total), more than 1") }
    }

    mutating func set(_ name: String, _ value: String) throws(SpecProblem) {
        if let fault = Fault(rawValue: name) {
            guard let rate = Double(value), (0...1).contains(rate) else { throw SpecProblem(description: "\(name) must be a rate from 0 to 1, not \(value)") }
            rates[fault] = rate
            return
        }
        switch name {
        case "latency": latency = try Self.duration(value, name)
        case "late_delay": lateDelay = try Self.duration(value, name)
        case "slow_delay": slowDelay = try Self.duration(value, name)
        case "seed":
            guard let number = UInt64(value) else { throw SpecProblem(description: "seed must be a whole number, not \(value)") }
            seed = number
        default:
            let known = Fault.allCases.map(\.rawValue) + ["latency", "late_delay", "slow_delay", "seed"]
            throw SpecProblem(description: "unknown fault \"\(name)\"; known: \(known.joined(separator: ", "))")
        }
    }

    static func duration(_ text: String, _ name: String) throws(SpecProblem) -> Duration {
        if text.hasSuffix("ms"), let number = Int64(text.dropLast(2)) { return .milliseconds(number) }
        if text.hasSuffix("s"), let number = Double(text.dropLast()) { return .milliseconds(Int64(number * 1000)) }
        throw SpecProblem(description: "\(name) must be a duration such as 250ms or 2s, not \(text)")
    }

    /// The fault for a draw in 0..<1, rates taken in a fixed order.
    func fault(for draw: Double) -> Fault? {
        var edge = 0.0
        for fault in Fault.allCases {
            edge += rates[fault] ?? 0
            if draw < edge { return fault }
        }
        return nil
    }
}

/// The seeded sequence requests draw from (SplitMix64), shared by every route of one sandbox, and the commits
/// held back by `late` faults that have not landed yet.
final class FaultDice: Sendable {
    let state: Mutex<UInt64>
    let held = Mutex<(count: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    init(seed: UInt64) {
        state = Mutex(seed)
    }

    /// The next number in 0..<1.
    func roll() -> Double {
        let bits = state.withLock { state -> UInt64 in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return Double(bits >> 11) / Double(1 << 53)
    }

    /// Runs a held-back commit, counted until it has landed.
    func holding<T>(_ body: () async throws -> T) async rethrows -> T {
        held.withLock { $0.count += 1 }
        defer {
            let waiters = held.withLock { held -> [CheckedContinuation<Void, Never>] in
                held.count -= 1
                guard held.count == 0 else { return [] }
                defer { held.waiters = [] }
                return held.waiters
            }
            waiters.forEach { $0.resume() }
        }
        return try await body()
    }

    /// Returns once no held-back commit is pending.
    func settled() async {
        await withCheckedContinuation { continuation in
            let now = held.withLock { held -> Bool in
                guard held.count > 0 else { return true }
                held.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}

import ArgumentParser
import Foundation
import Reconciler

/// Times the engine at scale against the simulators on loopback, each scenario in a process of its own.
@main
struct ProvisionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision-bench",
        abstract: "Time plan, adopt and apply at scale against the bank simulators on loopback.",
        discussion: """
            Every scenario runs the real engine (manifest loader, planner, applier, state store, journal, HTTP \
            pipeline) against the real Finan One simulator, with latency injected by the sandbox's faults, in a \
            process of its own so that its peak memory (getrusage maxrss) is its own. The simulators run in a \
            process of their own too (--simulators separate, the default), so CPU time and peak memory are the \
            engine's, as against a real bank; --simulators in-process runs them in the scenario's process, as the \
            benchmark measured before. The bound is the time the bank's share allows (latency \
            × calls ÷ parallelism, calls ÷ rate) or the target, scaled linearly from the target's size; the ratio \
            is wall time over the bound. Exit code 1 when a scenario fails to run. See docs/performance.md.
            """,
        subcommands: [Table.self, One.self, Simulator.self],
        defaultSubcommand: Table.self)
}

/// Runs every scenario and prints the table.
struct Table: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "table", abstract: "Run every scenario and print the table (the default).")

    @Option(help: "Sizes for plan with the accounts in state (comma-separated).")
    var planSizes = "1000,5000,10000"
    @Option(help: "Sizes for plan with the accounts at the bank but not in state (adopt).")
    var adoptSizes = "1000,5000,10000"
    @Option(help: "Sizes for apply of creates at 0 ms.")
    var applySizes = "250,500,1000,2000"
    @Option(help: "Creates for the apply with latency.")
    var latencyCreates = 500
    @Option(name: .customLong("latency-ms"), help: "The latency of that apply, in milliseconds.")
    var latencyMilliseconds = 50
    @Option(help: "Creates for the apply at a rate limit.")
    var rateCreates = 500
    @Option(help: "The provider's rate_limit for that apply, in requests per second.")
    var rate = 100
    @Option(help: "Accounts for validate + plan of creates only.")
    var validateSize = 50_000
    @Option(help: "Accounts for validate + plan of creates only at the largest size (bound 3 s).")
    var largeSize = 100_000
    @Option(help: "Sizes for validate alone (comma-separated; none by default), for the growth curve.")
    var validateSizes = ""
    @Option(help: "Accounts for validate + plan written in one file and split over --file-counts files.")
    var filesSize = 20_000
    @Option(help: "Files the --files-size accounts are split over (comma-separated; the first is the reference).")
    var fileCounts = "1,10,100"
    @Option(help: "Environments declared by a manifest validated as each sees it (comma-separated).")
    var environmentCounts = "500,2000,10000"
    @Option(help: "Creates in the plan rendered as Markdown for a pull-request comment.")
    var markdownCreates = 3000
    @Option(help: "Accounts for the sequential script's plan (at 20 ms), compared with the engine's; 0 skips it.")
    var scriptPlan = 1000
    @Option(help: "Creates for the sequential script's apply (at --latency-ms), compared with the engine's; 0 skips it.")
    var scriptApply = 500
    @Option(help: "The applier's parallelism.")
    var parallelism = 16
    @Option(help: "Runs of each scenario but the sequential scripts; the table shows the run of median wall time, its note the range.")
    var runs = 5
    @Flag(help: "Small sizes, for a run of about a minute: plan/adopt 100,500,1000, apply 50,100,200, validate 5000, scripts 100/50.")
    var quick = false
    @Option(help: "Where the bank simulators run: separate (a process of their own, so CPU and peak memory are the engine's) or in-process.")
    var simulators = SimulatorPlacement.separate

    struct Job {
        var label: String
        var scenario: [String]
        var bound: Double
        /// Rows of one family differ only in size; the table ends with each family's growth from its smallest to largest size.
        var family: (name: String, size: Int)?
        /// When set, the bound is this factor times the wall time of that row of the same run (a ratio measured in one run).
        var relativeTo: (label: String, factor: Double)?
    }

    static func sizes(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map {
            guard let size = Int($0.trimmingCharacters(in: .whitespaces)), size >= 1 else { throw ValidationError("not a size: \($0)") }
            return size
        }
    }

    func jobs() throws -> [Job] {
        var jobs: [Job] = []
        let p = parallelism
        let planSizes = try quick ? [100, 500, 1000] : Self.sizes(self.planSizes)
        let adoptSizes = try quick ? [100, 500, 1000] : Self.sizes(self.adoptSizes)
        let applySizes = try quick ? [50, 100, 200] : Self.sizes(self.applySizes)
        let validateSize = quick ? 5000 : self.validateSize
        let (scriptPlan, scriptApply) = quick ? (100, 50) : (self.scriptPlan, self.scriptApply)
        let (latencyCreates, rateCreates) = quick ? (100, 100) : (self.latencyCreates, self.rateCreates)
        for n in planSizes {
            jobs.append(Job(label: "plan, \(n) in state, 0 ms", scenario: ["plan", "\(n)"], bound: 0.5 * Double(n) / 10_000, family: ("plan in state", n)))
        }
        for n in adoptSizes {
            jobs.append(Job(label: "plan, \(n) at the bank (adopt), 0 ms", scenario: ["adopt", "\(n)"], bound: 1.0 * Double(n) / 10_000, family: ("adopt", n)))
        }
        for n in applySizes {
            jobs.append(Job(label: "apply, \(n) creates, 0 ms, p\(p)", scenario: ["apply", "\(n)", "--parallelism", "\(p)"], bound: 2.0 * Double(n) / 2000, family: ("apply at 0 ms", n)))
        }
        let latency = Double(latencyMilliseconds) / 1000
        jobs.append(Job(
            label: "apply, \(latencyCreates) creates, \(latencyMilliseconds) ms, p\(p)",
            scenario: ["apply", "\(latencyCreates)", "--parallelism", "\(p)", "--latency-ms", "\(latencyMilliseconds)"],
            bound: Double(latencyCreates) * latency / Double(p)))
        jobs.append(Job(
            label: "apply, \(rateCreates) creates, rate_limit \(rate), p\(p)",
            scenario: ["apply", "\(rateCreates)", "--parallelism", "\(p)", "--rate-limit", "\(rate)"],
            bound: Double(rateCreates) / Double(rate)))
        jobs.append(Job(label: "validate + plan, \(validateSize) creates", scenario: ["validate-plan", "\(validateSize)"], bound: 2.0 * Double(validateSize) / 50_000))
        jobs += try scaleJobs()
        if scriptPlan > 0 {
            jobs.append(Job(label: "plan, \(scriptPlan) in state, 20 ms", scenario: ["plan", "\(scriptPlan)", "--latency-ms", "20"],
                            bound: 0.5 * Double(scriptPlan) / 10_000 + 2 * 0.02))
            jobs.append(Job(label: "sequential script: plan \(scriptPlan), 20 ms", scenario: ["script-plan", "\(scriptPlan)", "--latency-ms", "20"],
                            bound: Double(scriptPlan) * 0.02))
        }
        if scriptApply > 0 {
            if scriptApply != latencyCreates || quick {
                jobs.append(Job(
                    label: "apply, \(scriptApply) creates, \(latencyMilliseconds) ms, p\(p)",
                    scenario: ["apply", "\(scriptApply)", "--parallelism", "\(p)", "--latency-ms", "\(latencyMilliseconds)"],
                    bound: Double(scriptApply) * latency / Double(p)))
            }
            jobs.append(Job(
                label: "sequential script: apply \(scriptApply), \(latencyMilliseconds) ms",
                scenario: ["script-apply", "\(scriptApply)", "--latency-ms", "\(latencyMilliseconds)"],
                bound: Double(scriptApply) * 2 * latency))
        }
        return jobs
    }

    /// The shapes a large team writes: the largest manifest, many files, many environments, a long Markdown comment.
    func scaleJobs() throws -> [Job] {
        var jobs: [Job] = []
        let validateSizes = try quick ? [1000, 5000] : validateSizes.isEmpty ? [] : Self.sizes(self.validateSizes)
        for n in validateSizes {
            jobs.append(Job(label: "validate, \(n) accounts", scenario: ["validate", "\(n)"], bound: 1.0 * Double(n) / 50_000, family: ("validate", n)))
        }
        let largeSize = quick ? 10_000 : self.largeSize
        jobs.append(Job(label: "validate + plan, \(largeSize) creates", scenario: ["validate-plan", "\(largeSize)"], bound: 3.0 * Double(largeSize) / 100_000))
        let filesSize = quick ? 2000 : self.filesSize
        let fileCounts = try quick ? [1, 10] : Self.sizes(self.fileCounts)
        let reference = "validate + plan, \(filesSize) creates in \(fileCounts.first ?? 1) file\((fileCounts.first ?? 1) == 1 ? "" : "s")"
        for (index, count) in fileCounts.enumerated() {
            let label = "validate + plan, \(filesSize) creates in \(count) file\(count == 1 ? "" : "s")"
            jobs.append(Job(
                label: label, scenario: ["validate-plan", "\(filesSize)", "--files", "\(count)"], bound: 2.0 * Double(filesSize) / 50_000,
                relativeTo: index == 0 ? nil : (reference, 1.2)))
        }
        for count in try quick ? [100, 500] : Self.sizes(environmentCounts) {
            jobs.append(Job(
                label: "validate, \(count) environments", scenario: ["validate", "10", "--environments", "\(count)"],
                bound: 5.0 * Double(count) / 10_000, family: ("environments", count)))
        }
        let creates = quick ? 1000 : markdownCreates
        jobs.append(Job(label: "plan as Markdown, \(creates) creates", scenario: ["markdown", "\(creates)"], bound: 0.5 * Double(creates) / 10_000))
        return jobs
    }

    func run() async throws {
        let jobs = try jobs()
        emit("provision-bench: \(jobs.count) scenarios, \(ProcessInfo.processInfo.activeProcessorCount) cores; each in its own process, "
             + (simulators == .separate ? "the simulators in another." : "the simulators in the same."))
        emit("| scenario | wall s | CPU s | requests | peak MB | bound s | wall/bound | note |")
        emit("|---|---:|---:|---:|---:|---:|---:|---|")
        let calibration = Self.calibrate()
        var results: [String: ScenarioResult] = [:]
        var measuredInTurn: [String: ScenarioResult] = [:]
        let groups = Self.comparedGroups(jobs)
        var failures = 0
        for job in jobs {
            do {
                if let group = groups[job.label] {
                    measuredInTurn.merge(try Self.medians(inTurn: group, runs: max(runs, 1), simulators: simulators)) { _, new in new }
                }
                var result = try measuredInTurn.removeValue(forKey: job.label)
                    ?? Self.median(of: job.label.hasPrefix("sequential script") ? 1 : max(runs, 1), job, simulators: simulators)
                var bound = job.bound
                if let (label, factor) = job.relativeTo, let reference = results[label] {
                    bound = factor * reference.measurement.wall
                    result.note += "; \(f(result.measurement.wall / reference.measurement.wall, 2))× \"\(label)\" (bound \(f(factor, 1))×)"
                }
                result.bound = bound
                results[job.label] = result
                let m = result.measurement
                emit("| \(job.label) | \(f(m.wall, 3)) | \(f(m.cpu, 3)) | \(result.requests) | \(f(m.peakMB, 0)) | \(f(bound, 3)) | \(f(m.wall / bound, 2)) | \(result.note) |")
            } catch {
                failures += 1
                emit("| \(job.label) | failed: \(error) | | | | | | |")
            }
        }
        emit("Machine speed: a fixed loop took \(f(calibration * 1000, 0)) ms before the scenarios and \(f(Self.calibrate() * 1000, 0)) ms after.")
        Self.growth(jobs, results)
        Self.compare(results, "sequential script: plan", with: "plan, ", containing: "in state, 20 ms")
        Self.compare(results, "sequential script: apply", with: "apply, ", containing: "creates, \(latencyMilliseconds) ms, p\(parallelism)")
        if failures > 0 { throw ExitCode.failure }
    }

    /// Prints, for each family of rows, how the wall time and peak memory grew from its smallest size to its largest.
    static func growth(_ jobs: [Job], _ results: [String: ScenarioResult]) {
        let families = jobs.compactMap(\.family?.name).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for family in families {
            let sized = jobs.filter { $0.family?.name == family && results[$0.label] != nil }.map { ($0.family!.size, results[$0.label]!) }
                .sorted { $0.0 < $1.0 }
            guard let (smallSize, small) = sized.first, let (largeSize, large) = sized.last, largeSize > smallSize else { continue }
            let wall = large.measurement.wall / small.measurement.wall
            emit("Growth of \(family), \(smallSize) → \(largeSize) (\(f(Double(largeSize) / Double(smallSize), 0))× the size): wall \(f(wall, 1))×, "
                 + "peak \(f(small.measurement.peakMB, 0)) → \(f(large.measurement.peakMB, 0)) MB (\(f(large.measurement.peakMB * 1024 / Double(largeSize), 1)) KB per item at \(largeSize)).")
        }
    }

    /// Prints how many times slower the script was than the engine on the same work.
    static func compare(_ results: [String: ScenarioResult], _ script: String, with prefix: String, containing text: String) {
        guard let scripted = results.first(where: { $0.key.hasPrefix(script) })?.value else { return }
        let engine = results.first { $0.key.hasPrefix(prefix) && $0.key.contains(text) && $0.value.size == scripted.size }?.value
        guard let engine else { return }
        let times = scripted.measurement.wall / engine.measurement.wall
        emit("\(script) \(scripted.size): \(f(scripted.measurement.wall, 2)) s; the engine: \(f(engine.measurement.wall, 3)) s; the script is \(f(times, 1))× slower.")
    }

    /// The run of median wall time among `runs` runs of `job`, each in a process of its own; with several runs
    /// its note ends with the range of wall times.
    static func median(of runs: Int, _ job: Job, simulators: SimulatorPlacement) throws -> ScenarioResult {
        middle(of: try (0..<runs).map { _ in try runChild(job, simulators: simulators) })
    }

    /// The run of median wall time among `results`; with several, its note ends with the range of wall times.
    static func middle(of results: [ScenarioResult]) -> ScenarioResult {
        let sorted = results.sorted { $0.measurement.wall < $1.measurement.wall }
        var middle = sorted[sorted.count / 2]
        if sorted.count > 1 {
            middle.note += "; median of \(sorted.count), \(f(sorted[0].measurement.wall, 3)) to \(f(sorted[sorted.count - 1].measurement.wall, 3)) s"
        }
        return middle
    }

    /// Rows compared by a ratio, by the label of the row they are compared with (which comes first): that row and
    /// every row measured against it.
    static func comparedGroups(_ jobs: [Job]) -> [String: [Job]] {
        var groups: [String: [Job]] = [:]
        for job in jobs {
            guard let reference = job.relativeTo?.label, let first = jobs.first(where: { $0.label == reference }) else { continue }
            groups[reference, default: [first]].append(job)
        }
        return groups
    }

    /// The median run of each job of `group`, the jobs run in turn, one run of each at a time: the machine's speed,
    /// which changes from minute to minute, then reaches every row of a ratio alike.
    static func medians(inTurn group: [Job], runs: Int, simulators: SimulatorPlacement) throws -> [String: ScenarioResult] {
        var results: [String: [ScenarioResult]] = [:]
        for _ in 0..<runs {
            for job in group { results[job.label, default: []].append(try runChild(job, simulators: simulators)) }
        }
        return results.mapValues { var result = middle(of: $0); result.note += ", run in turn with the rows it is compared with"; return result }
    }

    /// Seconds a fixed loop of hashing takes: how fast this machine runs now, next to the table's figures.
    static func calibrate() -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var hasher = Hasher()
        for number in 0..<100_000_000 { hasher.combine(number) }
        let elapsed = start.duration(to: clock.now).seconds
        if hasher.finalize() == 0 { emit("") }
        return elapsed
    }

    /// Runs `provision-bench one ...` in a new process and reads its result line.
    static func runChild(_ job: Job, simulators: SimulatorPlacement) throws -> ScenarioResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["one"] + job.scenario + ["--name", job.label, "--bound", String(job.bound), "--simulators", simulators.rawValue]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0,
              let line = text.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") })
        else { throw ValidationError("exit \(process.terminationStatus): \(text.suffix(300))") }
        return try JSONDecoder().decode(ScenarioResult.self, from: Data(line.dropFirst("RESULT ".count).utf8))
    }
}

/// Writes a line to standard output at once (a row as soon as its scenario ends), not when a buffer fills.
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// `value` with `digits` decimals.
func f(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

/// Runs one scenario and prints its result as one JSON line.
struct One: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "one", abstract: "Run one scenario and print its result as a JSON line.")

    @Argument(help: "plan, adopt, apply, validate, validate-plan, markdown, script-plan or script-apply.")
    var kind: ScenarioKind
    @Argument(help: "How many accounts.")
    var size: Int
    @Option(name: .customLong("latency-ms"), help: "Latency the simulator adds to every request, in milliseconds.")
    var latencyMilliseconds = 0
    @Option(help: "The applier's parallelism.")
    var parallelism = 16
    @Option(help: "The provider's rate_limit, in requests per second.")
    var rateLimit: Int?
    @Option(help: "Files the manifest's bank accounts are split over, each repeating the finan section.")
    var files = 1
    @Option(help: "Environments the manifest declares (validate checks each).")
    var environments = 0
    @Option(help: "The folder of the scenario that seed-state prepares.")
    var folder: String?
    @Option(help: "The label to report.")
    var name: String?
    @Option(help: "The bound to report, in seconds.")
    var bound = 1.0
    @Option(help: "Where the bank simulators run: separate (a process of their own) or in-process.")
    var simulators = SimulatorPlacement.separate

    func run() async throws {
        AllocatorSettings.apply()
        let scenario = Scenario(
            kind: kind, size: size, latencyMilliseconds: latencyMilliseconds, parallelism: parallelism, rateLimit: rateLimit,
            shape: BenchFiles.Shape(files: files, environments: environments), folder: folder.map { URL(fileURLWithPath: $0) },
            simulators: simulators)
        let (measurement, requests, note) = try await scenario.run()
        let result = ScenarioResult(
            name: name ?? "\(kind.rawValue) \(size)", size: size, measurement: measurement, requests: requests, bound: bound, note: note)
        let line = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        emit("RESULT " + line)
    }
}

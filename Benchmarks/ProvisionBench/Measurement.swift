import Foundation
import Reconciler

/// Wall and CPU time of a piece of work in this process, and the process's peak memory so far.
struct Measurement: Codable {
    var wall: Double
    var cpu: Double
    var peakMB: Double

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// `ru_maxrss`, in kilobytes on Linux.
    static func peakMegabytes() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Runs `body`, timing it.
    static func of<T>(_ body: () async throws -> T) async rethrows -> (T, Measurement) {
        let clock = ContinuousClock()
        let cpu = cpuSeconds()
        let start = clock.now
        let value = try await body()
        let wall = start.duration(to: clock.now).seconds
        return (value, Measurement(wall: wall, cpu: cpuSeconds() - cpu, peakMB: peakMegabytes()))
    }
}

/// One scenario's figures, as a child process reports them to the table.
struct ScenarioResult: Codable {
    var name: String
    var size: Int
    var measurement: Measurement
    var requests: Int
    /// The time the scenario should take at most: the bank's share (latency, rate) or the target.
    var bound: Double
    var note: String

    var ratio: Double { measurement.wall / bound }
}

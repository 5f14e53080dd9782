import Foundation
import Testing

/// Applies stopped at random points, by SIGKILL and by SIGTERM, each followed by a rerun: nothing is created
/// twice, nothing is lost, the lock never stays behind, and the end state converges.
@Suite(.timeLimit(.minutes(5)))
struct KillEndToEndTests {
    static let accounts = 12

    static let manifest = sandboxFinanManifest((1...accounts).map { ("a\($0)", "ACCOUNT \($0)") })

    /// Slow enough that a stop lands in the middle of an apply.
    static let slow = ["PROVISION_SANDBOX_FAULTS": "latency=40ms"]

    func start(_ folder: URL) throws -> Process {
        let process = Process()
        process.executableURL = try ProvisionBinary().url
        process.arguments = ["apply", "--auto-approve", "--parallelism", "2", folder.path]
        process.environment = ProcessInfo.processInfo.environment.merging(Self.slow) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// How many times each account name is held at the bank, read from the simulator's world.
    func accountsAtTheBank(_ folder: URL) throws -> [String: Int] {
        let world = try String(contentsOf: folder.appendingPathComponent(".provision/sandbox/finan.json"), encoding: .utf8)
        var counts: [String: Int] = [:]
        for index in 1...Self.accounts {
            counts["ACCOUNT \(index)"] = world.components(separatedBy: "\"ACCOUNT \(index)\"").count - 1
        }
        return counts
    }

    func expectConverged(_ folder: URL, after stops: String) throws {
        let final = try ProvisionBinary().run(["plan", "--detailed-exitcode", folder.path], in: folder)
        #expect(final.status == 0, "converged after \(stops): \(final.output)\(final.errors)")
        let counts = try accountsAtTheBank(folder)
        #expect(counts.values.allSatisfy { $0 == 1 }, "each account once at the bank after \(stops): \(counts)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision/state.lock").path))
    }

    @Test func twentySigkillsEachFollowedByARerunLeaveNoDuplicateAndLoseNothing() throws {
        var random = SystemRandomNumberGenerator()
        for round in 1...20 {
            let folder = try folderWithManifest(Self.manifest)
            let apply = try start(folder)
            usleep(UInt32.random(in: 150_000...900_000, using: &random))  // a random point of the apply
            kill(apply.processIdentifier, SIGKILL)
            apply.waitUntilExit()
            let rerun = try ProvisionBinary().run(["apply", "--auto-approve", folder.path], in: folder)
            #expect(rerun.status == 0, "round \(round): \(rerun.output)\(rerun.errors)")
            try expectConverged(folder, after: "SIGKILL \(round)")
        }
    }

    @Test func twentySigtermsEachExit143WithASummaryAndNoLock() throws {
        var random = SystemRandomNumberGenerator()
        for round in 1...20 {
            let folder = try folderWithManifest(Self.manifest)
            let process = Process()
            process.executableURL = try ProvisionBinary().url
            process.arguments = ["apply", "--auto-approve", "--parallelism", "2", folder.path]
            process.environment = ProcessInfo.processInfo.environment.merging(Self.slow) { _, new in new }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 400_000...900_000, using: &random))
            process.terminate()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 0 { continue }  // it finished before the signal arrived
            #expect(process.terminationStatus == 143, "round \(round): \(text)")
            #expect(text.contains("Stopped by SIGTERM") && text.contains("applied"), "a summary says what was done: round \(round): \(text)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision/state.lock").path))
            let rerun = try ProvisionBinary().run(["apply", "--auto-approve", folder.path], in: folder)
            #expect(rerun.status == 0, "round \(round): \(rerun.output)\(rerun.errors)")
            try expectConverged(folder, after: "SIGTERM \(round)")
        }
    }
}

import Foundation
import Testing

/// A cancelled CI job: SIGTERM during an apply that waits for a person, with output to a pipe.
@Suite(.timeLimit(.minutes(2)))
struct SignalEndToEndTests {
    /// Reads a pipe line by line on a thread of its own, so the test can wait for a given line as it arrives.
    final class LineReader: @unchecked Sendable {
        private let lock = NSCondition()
        private var text = ""
        private var closed = false

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData
                    lock.lock()
                    if data.isEmpty { closed = true } else { text += String(decoding: data, as: UTF8.self) }
                    lock.broadcast()
                    lock.unlock()
                    if data.isEmpty { return }
                }
            }
        }

        /// Waits until the output holds `needle` (true) or the pipe closes without it (false).
        func wait(for needle: String) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            while !text.contains(needle) && !closed { lock.wait() }
            return text.contains(needle)
        }

        /// What has arrived so far, without waiting.
        var received: String {
            lock.lock()
            defer { lock.unlock() }
            return text
        }

        var all: String {
            lock.lock()
            defer { lock.unlock() }
            while !closed { lock.wait() }
            return text
        }
    }

    @Test func sigtermWhileWaitingForAPersonStopsCleanlyWithASummaryAndNoLockLeft() throws {
        let folder = try copyOfExample("sepay-bank-link")
        let process = Process()
        process.executableURL = try ProvisionBinary().url
        process.arguments = ["apply", "--auto-approve", "--wait", "90s", folder.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let reader = LineReader(output.fileHandleForReading)
        #expect(reader.wait(for: "a person must open"), "the person's URL reaches the pipe while apply waits")
        process.terminate()
        process.waitUntilExit()
        let text = reader.all
        #expect(process.terminationStatus == 143, "\(text)")
        #expect(text.contains("Stopped by SIGTERM"), "\(text)")
        #expect(text.contains("Apply incomplete"), "\(text)")
        #expect(text.contains("sepay.companies.acme: created"), "what was done is in the log: \(text)")
        let lock = folder.appendingPathComponent(".provision/state.lock")
        #expect(!FileManager.default.fileExists(atPath: lock.path), "no lock is left behind")
        let state = try String(contentsOf: folder.appendingPathComponent(".provision/state.json"), encoding: .utf8)
        #expect(state.contains("sepay.companies.acme"))
    }

    @Test func aSecondSignalExitsAtOnceAndStillReleasesTheLock() throws {
        let folder = try copyOfExample("sepay-bank-link")
        let (process, output) = try Self.start(["apply", "--auto-approve", "--wait", "90s", folder.path])
        #expect(output.wait(for: "a person must open"))
        process.terminate()
        #expect(output.wait(for: "Send it again to stop at once"))
        process.terminate()
        process.waitUntilExit()
        let text = output.all
        #expect(process.terminationStatus == 143, "\(text)")
        #expect(text.contains("SIGTERM again: stopped at once"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision/state.lock").path), "no lock is left behind")
    }

    /// Starts `provision` with stdout and stderr on one pipe, read line by line as it comes.
    static func start(_ arguments: [String]) throws -> (Process, LineReader) {
        let process = Process()
        process.executableURL = try ProvisionBinary().url
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, LineReader(output.fileHandleForReading))
    }

    @Test func anApplyWaitingOnTheLockPlansAgainstTheWorldTheFirstOneLeft() throws {
        let folder = try copyOfExample("sepay-bank-link")
        // Whichever takes the lock first creates the company; the other, waiting on the lock, must see it.
        let (waiting, waitingOutput) = try Self.start(["apply", "--auto-approve", "--wait", "90s", "--lock-timeout", "90s", folder.path])
        let (other, otherOutput) = try Self.start(["apply", "--auto-approve", "--lock-timeout", "90s", folder.path])
        #expect(waitingOutput.wait(for: "a person must open"))
        waiting.terminate()
        waiting.waitUntilExit()
        other.waitUntilExit()
        let text = waitingOutput.all + otherOutput.all
        #expect(text.components(separatedBy: "sepay.companies.acme: created").count - 1 == 1, "created once: \(text)")
        let world = try String(contentsOf: folder.appendingPathComponent(".provision/sandbox/sepay.json"), encoding: .utf8)
        #expect(world.components(separatedBy: "ACME Trading JSC").count - 1 == 1, "one company at the bank")
    }
}

import Foundation
import Reconciler
import Testing

/// The exit codes docs/lifecycle.md lists for every command (64 usage, 130 interrupted), and a note printed once.
@Suite(.timeLimit(.minutes(2)))
struct ExitCodeEndToEndTests {
    @Test func aUsageErrorExits64AndSaysWhatIsWrong() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let unknown = try binary.run(["plan", "--no-such-option", "."], in: folder)
        #expect(unknown.status == 64, "\(unknown.output)\(unknown.errors)")
        #expect(unknown.errors.contains("--no-such-option"))
        let malformed = try binary.run(["apply", "--parallelism", "many", "."], in: folder)
        #expect(malformed.status == 64, "\(malformed.output)\(malformed.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".provision").path), "nothing was read or written")
    }

    @Test func sigintDuringAnApplyExits130AfterItsSummary() throws {
        let folder = try copyOfExample("sepay-bank-link")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, output) = try SignalEndToEndTests.start(["apply", "--auto-approve", "--wait", "90s", folder.path])
        #expect(output.wait(for: "a person must open"))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let text = output.all
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(text)")
        #expect(text.contains("Stopped by SIGINT"), "\(text)")
    }

    @Test func aLockLeftByADeadProcessIsTakenOverWithOneNote() throws {
        let binary = try ProvisionBinary()
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent(".provision")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let here = LockInfo.forThisProcess(operation: "apply")
        // A pid above the kernel's default pid_max: no process has it.
        let dead = LockInfo(id: "dead-lock", owner: here.owner, host: here.host, pid: 4_194_304 + 17, operation: "apply", created: here.created)
        try JSONEncoder().encode(dead).write(to: state.appendingPathComponent("state.lock"))

        let apply = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(apply.status == 0, "\(apply.output)\(apply.errors)")
        #expect(apply.errors.contains("note: took over the state lock of"), "\(apply.errors)")
        #expect(!apply.errors.contains("note: note:"), "\(apply.errors)")
    }
}

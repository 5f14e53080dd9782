import Foundation
import Testing

/// What a CI job meets: plans saved in one folder and applied from another, files that cannot be written,
/// a port already taken, output read from a pipe while the command still runs.
@Suite(.timeLimit(.minutes(2)))
struct EverydayEndToEndTests {
    let binary: ProvisionBinary

    init() throws {
        binary = try ProvisionBinary()
    }

    @Test func aSavedPlanAppliesFromAnotherFolder() throws {
        let manifest = try copyOfExample("quickstart")
        let root = manifest.deletingLastPathComponent()
        let planJob = try binary.run(["plan", "--out", "reviewed.plan", manifest.lastPathComponent], in: root)
        #expect(planJob.status == 0, "\(planJob.errors)")
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("provision-elsewhere-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let applyJob = try binary.run(["apply", "--plan", root.appendingPathComponent("reviewed.plan").path], in: elsewhere)
        #expect(applyJob.status == 0, "\(applyJob.output)\n\(applyJob.errors)")
        #expect(applyJob.output.contains("Apply complete"))
    }

    @Test(arguments: [
        (["schema", "--output", "/nonexistent/x.json"], "Cannot write the schema to /nonexistent/x.json: no such file or folder"),
        (["apply", "--plan", "missing.plan"], "Cannot read saved plan missing.plan: no such file or folder"),
    ])
    func fileProblemsAreOneSentenceWithThePathAndTheFix(arguments: [String], expected: String) throws {
        let result = try binary.run(arguments, in: FileManager.default.temporaryDirectory)
        #expect(result.status == 1)
        #expect(result.errors.contains(expected), "\(result.errors)")
        #expect(!result.errors.contains("Error Domain"), "\(result.errors)")
    }

    @Test func aPlanThatCannotBeSavedSaysWhere() throws {
        let manifest = try copyOfExample("quickstart")
        let result = try binary.run(["plan", "--out", "/nonexistent/p.plan", manifest.path], in: manifest)
        #expect(result.status == 1)
        #expect(result.errors.contains("Cannot write the plan to /nonexistent/p.plan: no such file or folder"), "\(result.errors)")
    }

    @Test func serveReportsItsPortThroughAPipeAndASecondServeOnItSaysPickAnother() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("provision-serve-\(UUID().uuidString)")
        let marker = "Sandbox listening on http://127.0.0.1:"
        let (first, text) = try binary.serve(data: folder, until: marker)
        defer { first.terminate(); first.waitUntilExit() }
        let digits = text.range(of: marker).map { text[$0.upperBound...].prefix { $0.isNumber } }
        let port = try #require(digits.flatMap { Int($0) }, "\(text)")
        let second = try binary.run(["sandbox", "serve", "--port", String(port), "--data", folder.path + "-2"], in: FileManager.default.temporaryDirectory)
        #expect(second.status == 1)
        #expect(second.errors.contains("Cannot listen on 127.0.0.1:\(port): the address is already in use by another program. Pick another --port"), "\(second.errors)")
    }
}

import Foundation
import Testing

/// The SePay bank link's step for a person, done in a real headless browser while `apply --wait` waits.
///
/// `Browser/link_account.py` drives Debian's Chromium through chromedriver with selenium; `.ci/run` installs all
/// three. Set `PROVISION_SCREENSHOT=FILE` to keep a screenshot of the filled-in page.
@Suite(.timeLimit(.minutes(3)), .enabled(if: BrowserTools.missing == nil, BrowserTools.skipReason))
struct BrowserEndToEndTests {
    static let script = HelperTool.repository.appendingPathComponent("Tests/EndToEndTests/Browser/link_account.py")

    /// What the person, the waiting apply and the next plan did.
    struct Outcome: Sendable {
        var linkPrinted = false
        var url: String?
        var person: HelperTool.Result?
        var applyStatus: Int32 = -1
        var applyLog = ""
        var plan: ProvisionBinary.Result?
    }

    /// Runs for a minute of subprocess waits: on a thread of its own, so the suite's other tests keep the
    /// cooperative pool (its two threads here) meanwhile; the assertions run on the test's task afterwards.
    @Test func aPersonLinksAnAccountInHeadlessChromiumWhileApplyWaits() async throws {
        let outcome = try await withCheckedThrowingContinuation { (done: CheckedContinuation<Outcome, any Error>) in
            Thread.detachNewThread { done.resume(with: Result { try Self.linkInTheBrowser() }) }
        }
        #expect(outcome.linkPrinted, "apply prints the hosted link while it waits: \(outcome.applyLog)")
        let person = try #require(outcome.person, "no hosted-link URL in: \(outcome.applyLog)")
        #expect(person.status == 0, "the browser: \(person.output)\(person.errors)")
        #expect(person.output.contains("banner: MÔI TRƯỜNG THỬ NGHIỆM"), "\(person.output)")
        #expect(person.output.contains("label account_number: Số tài khoản"), "\(person.output)")
        #expect(person.output.contains("result: Đã liên kết tài khoản"), "a double-click still lands on the success page: \(person.output)")
        #expect(person.output.contains("status: Bạn có thể đóng cửa sổ này."), "\(person.output)")
        #expect(outcome.applyStatus == 0, "the waiting apply finishes once the account is linked: \(outcome.applyLog)")
        #expect(outcome.applyLog.contains("sepay.bank_links.acme-main: done by a person, recorded"), "\(outcome.applyLog)")
        let plan = try #require(outcome.plan)
        #expect(plan.status == 0, "\(plan.output)\(plan.errors)")
    }

    /// `apply --wait` on the bank-link example, the browser script on the link it prints, then a plan.
    static func linkInTheBrowser() throws -> Outcome {
        let folder = try copyOfExample("sepay-bank-link")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Without completion_redirect_uri the page ends on its own success page instead of an app this machine cannot reach.
        let manifest = folder.appendingPathComponent("bank.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "      completion_redirect_uri: https://app.example.com/linked\n", with: "")
            .write(to: manifest, atomically: true, encoding: .utf8)

        var outcome = Outcome()
        let (process, reader) = try SignalEndToEndTests.start(["apply", "--auto-approve", "--wait", "2m", folder.path])
        defer { if process.isRunning { process.terminate() } }
        outcome.linkPrinted = reader.wait(for: "sepay.bank_links.acme-main: a person must open ")
        outcome.url = reader.received.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/sepay\/hosted\/[0-9a-f-]+/).map { String($0.output) }
        if let url = outcome.url, let python = HelperTool.python {
            let screenshot = ProcessInfo.processInfo.environment["PROVISION_SCREENSHOT"].map { ["--screenshot", $0] } ?? []
            outcome.person = try python.run([script.path, url] + screenshot)
        }
        if outcome.person?.status != 0 { process.terminate() }
        process.waitUntilExit()
        outcome.applyLog = reader.all
        outcome.applyStatus = process.terminationStatus
        outcome.plan = try ProvisionBinary().run(["plan", "--detailed-exitcode", folder.path], in: folder)
        return outcome
    }
}

/// What the browser test needs: Chromium, its driver and selenium.
enum BrowserTools {
    /// What this machine lacks, or nil.
    static let missing: String? = {
        var lacking: [String] = []
        if HelperTool.onPath("chromium") == nil { lacking.append("chromium") }
        if HelperTool.onPath("chromedriver") == nil { lacking.append("chromedriver (Debian's chromium-driver)") }
        if !HelperTool.pythonHas(["selenium"]) { lacking.append("Python's selenium (in PROVISION_PYTHON or python3)") }
        return lacking.isEmpty ? nil : lacking.joined(separator: ", ")
    }()

    static let skipReason = Comment(
        rawValue: "Skipped: the browser test needs \(missing ?? "nothing more"); bash .ci/run installs chromium, chromium-driver and selenium.")
}

import Foundation
@testable import Reconciler
import Testing

@Suite("check: verdicts")
struct CheckResultTests {
    func result(_ statuses: [CheckStatus]) -> CheckResult {
        CheckResult(lines: statuses.map { CheckLine(provider: "p", finding: CheckFinding("c", $0, "d", fix: "f")) })
    }

    @Test func theExitCodeIsZeroWhenAllAreOkTwoForWarningsOnlyAndOneForAnyFailure() {
        #expect(result([.ok, .ok]).exitCode == 0)
        #expect(result([.ok, .warning]).exitCode == 2)
        #expect(result([.warning, .failed, .ok]).exitCode == 1)
        #expect(result([]).exitCode == 0)
        #expect(result([.ok]).lines[0].finding.fix == nil, "an ok line has no fix")
    }

    @Test func theClockIsOkWithinHalfTheWindowAWarningBeyondAndFailedPastIt() {
        let now = Date()
        let reading = { (offset: TimeInterval) in ServerClock.Reading(bank: now.addingTimeInterval(-offset), sent: now, received: now) }
        #expect(CheckOperation.clock(reading(0.4), window: .seconds(30)).status == .ok)
        #expect(CheckOperation.clock(reading(20), window: .seconds(30)).status == .warning)
        let late = CheckOperation.clock(reading(-45), window: .seconds(30))
        #expect(late.status == .failed && late.detail.contains("44 s behind") && late.fix?.contains("NTP") == true, "\(late)")
        #expect(CheckOperation.clock(nil, window: .seconds(30)).status == .warning)
    }

    @Test func aDateHeaderIsReadAsTheBanksClock() {
        let clock = ServerClock()
        let bank = Date(timeIntervalSince1970: 784_111_777)
        let reply = HTTPReply(status: 401, headers: [("date", "Sun, 06 Nov 1994 08:49:37 GMT")], body: [])
        clock.record(reply, sent: bank.addingTimeInterval(10), received: bank.addingTimeInterval(11))
        #expect(clock.reading?.bank == bank)
        #expect(clock.reading?.offset == 10, "this machine is ahead when the bank's time is before the call left")
        clock.record(reply, sent: bank.addingTimeInterval(-40), received: bank.addingTimeInterval(5))
        #expect(clock.reading?.offset == 0, "a slow answer whose span holds the bank's time is no clock offset")
        clock.record(reply, sent: bank.addingTimeInterval(-40), received: bank.addingTimeInterval(-35))
        #expect(clock.reading?.offset == -35)
    }
}

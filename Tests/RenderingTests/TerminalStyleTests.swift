import PlanModel
import Testing
import Rendering

/// Where output goes decides its shape: colour and the live line on a terminal only, `NO_COLOR` and `--no-color` honoured.
struct TerminalStyleTests {
    @Test func aTerminalGetsColourAndTheLiveLine() {
        let style = TerminalStyle.decide(stdoutIsTerminal: true, environment: ["TERM": "xterm-256color"], noColour: false, quiet: false)
        #expect(style == TerminalStyle(colour: true, liveProgress: true, quiet: false))
    }

    @Test func aFileOrPipeGetsNeitherWhateverTheEnvironmentSays() {
        let style = TerminalStyle.decide(stdoutIsTerminal: false, environment: ["TERM": "xterm", "CLICOLOR_FORCE": "1"], noColour: false, quiet: false)
        #expect(style == .plain)
    }

    @Test(arguments: [
        (["NO_COLOR": "1"], false), (["NO_COLOR": "anything"], false), (["NO_COLOR": ""], true), ([:], true), (["TERM": "dumb"], false),
    ])
    func noColorIsHonouredWhenSetToAnythingButEmpty(environment: [String: String], colour: Bool) {
        #expect(TerminalStyle.decide(stdoutIsTerminal: true, environment: environment, noColour: false, quiet: false).colour == colour)
    }

    @Test func theNoColorFlagTurnsColourOffButKeepsTheLiveLine() {
        let style = TerminalStyle.decide(stdoutIsTerminal: true, environment: [:], noColour: true, quiet: false)
        #expect(!style.colour)
        #expect(style.liveProgress)
    }

    @Test func quietDropsTheLiveLine() {
        let style = TerminalStyle.decide(stdoutIsTerminal: true, environment: [:], noColour: false, quiet: true)
        #expect(style.quiet && !style.liveProgress && style.colour)
    }

    @Test func colouringWrapsOnlyActionLinesAndKeepsTheirText() {
        let plan = "finan (finan-one)\n  + finan.bank_accounts.a will be created\n      account_name: \"A\"\n  -/+ finan.bank_accounts.b must be replaced\n\nPlan: 1 to create.\n"
        let coloured = PlanColourer.colour(plan)
        #expect(coloured.contains("\u{1B}[32m  + finan.bank_accounts.a will be created\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[33m  -/+ finan.bank_accounts.b must be replaced\u{1B}[0m"))
        #expect(coloured.replacingOccurrences(of: "\u{1B}[32m", with: "").replacingOccurrences(of: "\u{1B}[33m", with: "")
            .replacingOccurrences(of: "\u{1B}[0m", with: "") == plan)
        #expect(coloured.components(separatedBy: "\u{1B}[0m").count - 1 == 2, "headers, attributes and the summary stay plain")
    }

    @Test func theProgressLineSaysDoneOfTotalInFlightAndElapsedSeconds() {
        #expect(ProgressLine.text(done: 3, total: 7, inFlight: 2, elapsed: 12.9) == "[3/7 done, 2 in flight, 12s]")
    }
}

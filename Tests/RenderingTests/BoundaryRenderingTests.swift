import Foundation
import PlanModel
@testable import Reconciler
import Rendering
import Testing

/// Text from outside (a bank's answer, an id, a request id, a lock holder, an address read from state) in every view:
/// it reaches a terminal with no control byte and a cap on its length, and a pull-request comment as text only.
struct BoundaryRenderingTests {
    /// Pieces a hostile bank or state file would use.
    static let pieces = [
        "\u{1b}[2J", "\u{1b}[1;1H", "\u{1b}]8;;https://evil.example\u{7}click\u{1b}]8;;\u{7}", "\u{1b}]0;owned\u{7}", "\r", "\n", "\r\n",
        "\u{9b}31m", "\u{7f}", "\u{2028}", "\u{2029}", "\u{202e}", "\u{2066}", "\u{200f}", "\t", "\u{0}",
        "<img src=x onerror=alert(1)>", "</details>", "<script>", "&amp;", "@octocat", "@org/team", "#1", "[link](https://evil.example)",
        "![img](https://evil.example/x.png)", "https://evil.example", "www.evil.example", "`", "```", "``", "|", "\\", "*", "_x_", "~~", "$x$",
        "plain", " ", "é", "漢字", "\u{FFFD}", String(decoding: [0xC3, 0x28, 0xFF, 0xFE], as: UTF8.self),
    ]

    /// A repeatable hostile string of up to eight pieces.
    static func hostile(_ seed: inout UInt64) -> String {
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        return (0..<(1 + next() % 8)).map { _ in pieces[next() % pieces.count] }.joined()
    }

    static func hasControl(_ text: String, allowingLineFeeds: Bool = false) -> Bool {
        text.unicodeScalars.contains { TerminalEscape.isUnsafe($0) && !(allowingLineFeeds && $0 == "\n") }
    }

    /// Pipes in a table row that separate cells (not written `\|`).
    static func cellSeparators(_ row: Substring) -> Int {
        var count = 0
        var previous: Character = " "
        for character in row {
            if character == "|", previous != "\\" { count += 1 }
            previous = character == "\\" && previous == "\\" ? " " : character
        }
        return count
    }

    /// The cells of a table row, split at the pipes that separate them.
    static func cells(_ row: Substring) -> [String] {
        var cells: [String] = []
        var current = ""
        var previous: Character = " "
        for character in row.dropFirst() {
            if character == "|", previous != "\\" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
            previous = character == "\\" && previous == "\\" ? " " : character
        }
        return cells
    }

    // MARK: The escapes

    @Test func hostileStringsLeaveTheTerminalEscapeWithoutAControlByte() {
        var seed: UInt64 = 20
        for _ in 0..<2_000 {
            let text = Self.hostile(&seed)
            let field = TerminalEscape.field(text)
            #expect(!Self.hasControl(field), "\(field.debugDescription)")
            #expect(field.unicodeScalars.count <= TerminalEscape.fieldLimit * 10 + 40)
            #expect(!Self.hasControl(TerminalEscape.lines(text), allowingLineFeeds: true))
        }
        let long = TerminalEscape.field(String(repeating: "A", count: 5_000))
        #expect(long.hasPrefix(String(repeating: "A", count: TerminalEscape.fieldLimit)) && long.hasSuffix("… (4700 more characters)"))
    }

    @Test func hostileStringsLeaveTheMarkdownEscapesAsTextOnly() {
        var seed: UInt64 = 4
        for _ in 0..<2_000 {
            let text = Self.hostile(&seed)
            let prose = MarkdownEscape.text(text)
            #expect(!Self.hasControl(prose) && !prose.contains("\n"), "\(prose.debugDescription)")
            #expect(!prose.contains("<") && !prose.contains(">"), "no HTML: \(prose)")
            #expect(!prose.contains("://") && !prose.lowercased().contains("www."), "no autolink: \(prose)")
            #expect(prose.components(separatedBy: "@").dropFirst().allSatisfy { $0.hasPrefix("&#8203;") }, "no mention: \(prose)")
            #expect(Self.cellSeparators(Substring(prose)) == 0, "no cell break: \(prose)")
            for mark: Character in ["`", "[", "]", "*", "~", "!"] {
                let unescaped = zip(prose, prose.dropFirst()).contains { $0.1 == mark && $0.0 != "\\" } || prose.first == mark
                #expect(!unescaped, "\(mark) unescaped in \(prose)")
            }

            let code = MarkdownEscape.code(text)
            #expect(!Self.hasControl(code) && !code.contains("\n"))
            #expect(Self.cellSeparators(Substring(code)) == 0, "no cell break: \(code)")
            let delimiter = code.prefix { $0 == "`" }
            #expect(code.hasSuffix(delimiter) && code.count > delimiter.count * 2, "\(code)")
            let inside = code.dropFirst(delimiter.count).dropLast(delimiter.count)
            #expect(!inside.contains(String(delimiter)), "the span cannot be closed early: \(code)")
        }
    }

    // MARK: The views

    static let address = ResourceAddress(instance: "finan", kind: "bank_accounts", name: "a")

    static func plan(_ text: String) -> Plan {
        let fromState = ResourceAddress(instance: "finan", kind: "bank_accounts", name: text)
        return Plan(
            changes: [
                Change(address: address, action: .conflict, reason: "several objects at the bank match: \(text), b", steps: [text]),
                Change(address: fromState, action: .orphan, remoteID: text, reason: "left the manifest", before: ["account_name": .string(text)]),
                Change(address: ResourceAddress(instance: "finan", kind: "bank_accounts", name: "u"), action: .update, remoteID: "u1",
                       attributeChanges: [AttributeChange(name: "account_name", before: .string(text), after: .string("x"))]),
            ],
            providers: ["finan": "finan-one"],
            drift: [Drift(address: fromState, gone: false, attributeChanges: [AttributeChange(name: text, before: .string(text), after: .string("y"))])],
            notes: ["finan": [text]])
    }

    @Test func aPlanOfHostileBankTextIsWellFormedMarkdownAndPlainTerminalText() {
        var seed: UInt64 = 7
        let benignLines = PlanRenderer.text(Self.plan("x")).split(separator: "\n", omittingEmptySubsequences: false).count
        for _ in 0..<300 {
            let text = Self.hostile(&seed) + "z"
            let markdown = PlanRenderer.markdown(Self.plan(text))
            #expect(!Self.hasControl(markdown, allowingLineFeeds: true))
            let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
            #expect(rows.count == 2 + 3 + 1, "\(markdown)")
            #expect(rows.allSatisfy { Self.cellSeparators($0) == 5 }, "\(markdown)")
            // Prose (the why column, the notes) holds no tag, mention or link; the resource column is one code span.
            let notes = markdown.split(separator: "\n").filter { $0.hasPrefix(">") }.map(String.init)
            let why = rows.dropFirst(2).map { Self.cells($0)[3] }
            for prose in why + notes {
                #expect(prose.firstMatch(of: /<\/?[a-zA-Z]/) == nil, "\(prose)")
                #expect(prose.components(separatedBy: "@").dropFirst().allSatisfy { $0.hasPrefix("&#8203;") }, "\(prose)")
                #expect(!prose.contains("://"), "\(prose)")
            }
            #expect(rows.dropFirst(2).map { Self.cells($0)[1] }.allSatisfy { $0.hasPrefix("`") && $0.hasSuffix("`") })
            let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
            if let open = lines.firstIndex(where: { $0.hasPrefix("```") }) {
                let fence = lines[open]
                let close = lines[(open + 1)...].firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(String(fence)) }
                #expect(close.map { lines[$0 + 1] == "</details>" } == true, "the block closes only at its own fence:\n\(markdown)")
            }

            let plain = PlanRenderer.text(Self.plan(text))
            #expect(!Self.hasControl(plain, allowingLineFeeds: true))
            #expect(plain.split(separator: "\n", omittingEmptySubsequences: false).count == benignLines, "no forged line:\n\(plain)")
            #expect(!Self.hasControl(DriftReport.text(Self.plan(text)), allowingLineFeeds: true))
            #expect(!Self.hasControl(PlanRenderer.json(Self.plan(text)), allowingLineFeeds: true))
        }
    }

    @Test func applyLinesJournalLinesAndErrorsOfHostileBankTextStayOnOneLine() {
        var seed: UInt64 = 11
        let change = Change(address: Self.address, action: .create)
        for _ in 0..<500 {
            let text = Self.hostile(&seed) + String(repeating: "Q", count: 5_000)
            let rejection = ProviderError(
                .rejected, bank: "Finan One", request: "POST https://bank/\(text)", status: 400, code: text, message: text, requestID: text)
            let lines = [
                ApplyEventText.line(for: .finished(change, AppliedResource(remoteID: text, attributes: [:], requestID: text), seconds: 1)),
                ApplyEventText.line(for: .personStep(change, PersonStep(url: "https://bank/\(text)", expiresAt: text))),
                ApplyEventText.problem(for: .failed(change, StepFailure(address: Self.address, error: rejection))),
                ErrorText.terminal(rejection),
                ErrorText.terminal(ReconcilerError.stateLocked(path: "/state", holder: text, lockID: text)),
                ErrorText.terminal(ProviderError(.redirected(to: text), bank: "Finan One", request: "GET /x", status: 302)),
                JournalText.line(JournalRecord(run: text, entry: JournalEntry(
                    entry: "outcome", address: text, action: "create", remoteID: text, requestID: text, outcome: text, error: text, by: text, note: text))),
            ].compactMap { $0 }
            #expect(lines.count == 7)
            for line in lines {
                #expect(!Self.hasControl(line) && !line.contains("\n"), "\(line.debugDescription)")
                #expect(line.count < 6_000, "capped: \(line.count) characters")
            }
            #expect(!ApplyEventJSON.line(for: .failed(change, StepFailure(address: Self.address, error: rejection))).unicodeScalars.contains {
                TerminalEscape.isUnsafe($0)
            })
        }
    }
}

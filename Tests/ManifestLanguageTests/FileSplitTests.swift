import PlanModel
import Testing
@testable import ManifestLanguage

/// A long file is composed in two parts at once (`FileSplit`): whatever the file holds, the tree and the problems must
/// be what one pass makes, and a file the parts would read differently must be read in one pass.
struct FileSplitTests {
    /// The tree (locations included) and the problems of one file, as text.
    static func outcome(_ read: (ManifestNode?, [ManifestProblem])) -> String {
        (read.0.map(PartedConversionTests.dump) ?? "no tree") + " " + read.1.map(\.description).joined(separator: "; ")
    }

    /// What reading `text` in parts makes, and what one pass makes; nil for the parts when the file was not split.
    static func compare(_ text: String) -> (parts: String?, whole: String) {
        let source = ManifestSource(path: "bank.yaml", text: text)
        return (ParseRun.partedRoot(of: source).map(outcome), outcome(ParseRun.root(of: source)))
    }

    static func lines(_ count: Int, _ line: (Int) -> String) -> String {
        (1...count).map(line).joined()
    }

    @Test func aLongFileReadInTwoPartsIsWhatOnePassMakes() throws {
        let text = ManifestScaleTests.header + ManifestScaleTests.accounts(1...3_000)
        let split = try #require(FileSplit(text: text))
        #expect(split.holders == [FileSplit.Holder(key: "bank", line: 4), FileSplit.Holder(key: "accounts", line: 5)])
        #expect(split.column == 5 && split.line > 1_000)
        let (parts, whole) = Self.compare(text)
        #expect(parts == whole, "the parts differ from one pass")
        #expect(whole.contains("a2999@bank.yaml:3004:5"), "entries keep their places")
        let read = ParseRun.roots(of: [ManifestSource(path: "bank.yaml", text: text + String(repeating: "# padding\n", count: 7_000))])
        #expect(read.count == 1 && read[0].1.isEmpty)
    }

    /// Files whose lines could mislead the split: each is read as one pass reads it, problems included.
    @Test(arguments: [
        "block scalars", "quoted scalars over lines", "flow mappings over lines", "a plain scalar before the keys",
        "keys indented two ways", "a key in both halves", "a holder's key in both halves", "CRLF", "comments and blank lines",
        "aliases", "a list of mappings", "keys YAML reads as values", "deeper holders", "an unsupported tag late", "a document end",
        "tabs",
    ])
    func aFileReadInPartsIsReadAsOnePassReadsIt(shape: String) throws {
        let text = Self.text(shape)
        let (parts, whole) = Self.compare(text)
        #expect(parts == nil || parts == whole, "\(shape): the parts differ from one pass:\n\(parts ?? "")\n\(whole)")
        if let splits = Self.splits[shape] {
            #expect((parts != nil) == splits, "\(shape): \(splits ? "not split" : "split")")
        }
    }

    /// Whether each shape is read in two parts (absent: either may be right).
    static let splits: [String: Bool] = [
        "block scalars": true, "CRLF": true, "comments and blank lines": true, "keys YAML reads as values": true,
        "deeper holders": true, "a plain scalar before the keys": false, "keys indented two ways": false,
        "a key in both halves": false, "a holder's key in both halves": false, "aliases": false, "a list of mappings": false,
        "an unsupported tag late": false,
    ]

    static func text(_ shape: String) -> String {
        let head = "version: 1\nbank:\n  accounts:\n"
        switch shape {
        case "block scalars":
            return head + lines(200) { "    a\($0):\n      note: |\n        k\($0): v\n        more\n    b\($0): |\n      c\($0): d\n" }
        case "quoted scalars over lines":
            return head + lines(200) { "    a\($0): \"one\n    b\($0): two\"\n" }
        case "flow mappings over lines":
            return head + lines(200) { "    a\($0): { x: 1,\n    b\($0): 2 }\n" }
        case "a plain scalar before the keys":
            // Here and below, lines of one length: the middle of the file is the last line of the first kind.
            return head + lines(200) { "    words \(1_000 + $0)\n" } + lines(200) { "    a\(1_000 + $0): xyz\n" }
        case "keys indented two ways":
            return head + lines(200) { "      a\(1_000 + $0): x\n" } + lines(200) { "    bbb\(1_000 + $0): x\n" }
        case "a key in both halves":
            return head + lines(400) { "    a\($0 == 400 ? 1 : $0): x\n" }
        case "a holder's key in both halves":
            return "bank:\n  webhook: one\n  accounts:\n" + lines(400) { "    a\($0): x\n" } + "  webhook: two\n"
        case "CRLF":
            return (head + lines(400) { "    a\($0): { name: n\($0) }\n" }).replacingOccurrences(of: "\n", with: "\r\n")
        case "comments and blank lines":
            return "# top\nbank: # the bank\n\n  # accounts follow\n  accounts:   # all\n"
                + lines(400) { "    a\($0): x\n\n# col 1\n      # deep\n" }
        case "aliases":
            return head + "    a0: &shared { x: 1 }\n" + lines(400) { "    a\($0): *shared\n" }
        case "a list of mappings":
            return head + lines(400) { "  - name: a\($0)\n    x: 1\n" }
        case "keys YAML reads as values":
            return head + lines(400) { "    \($0 == 3 ? "true" : $0 == 6 ? "null" : $0 == 390 ? "0x1F" : "\($0)"): \($0)\n" }
        case "deeper holders":
            return "a:\n  b:\n    c:\n      d:\n" + lines(400) { "        e\($0):\n          f: \($0)\n" } + "  g: 1\nh: 2\n"
        case "an unsupported tag late":
            return head + lines(400) { "    a\($0): \($0 == 390 ? "!!binary aGVsbG8=" : "x")\n" }
        case "a document end":
            return head + lines(400) { "    a\($0): x\n\($0 == 300 ? "...\n" : "")" }
        case "tabs":
            return head + lines(400) { "    a\($0): x\n\($0 == 300 ? "\tb: 1\n" : "")" }
        default:
            Issue.record("no text for \(shape)")
            return ""
        }
    }

    /// A file holding most of the bytes is read in parts beside smaller files, which keep their order and problems.
    @Test func aLargeFileBesideSmallOnesIsReadInParts() {
        let sources = [
            ManifestSource(path: "providers.yaml", text: "version: 1\nproviders: [unclosed\n"),
            ManifestSource(path: "bank.yaml", text: ManifestScaleTests.accounts(1...5_000)),
            ManifestSource(path: "late.yaml", text: "late: 1\n"),
        ]
        let read = ParseRun.roots(of: sources).map(Self.outcome)
        #expect(read == sources.map { Self.outcome(ParseRun.root(of: $0)) }, "the files differ from one pass each")
        #expect(read[0].contains("providers.yaml:") && read[1].hasSuffix(" "), "only the broken file has a problem")
        #expect(ParseRun.partedRoot(of: sources[1]) != nil, "the large file is read in parts")
    }
}

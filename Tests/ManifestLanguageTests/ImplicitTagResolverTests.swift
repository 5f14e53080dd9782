import Testing
import TestSupport
import Yams
import PlanModel
@testable import ManifestLanguage

/// `ImplicitTagResolver` must agree with `Resolver.default` on every plain scalar, and a manifest composed
/// with `Resolver.basic` must convert to the values the default resolver gives.
@Suite struct ImplicitTagResolverTests {
    static let written: [String] = [
        "", "~", "null", "Null", "NULL", "nULL", "nul", "yes", "Yes", "YES", "yES", "y", "n", "no", "NO", "on", "On",
        "oN", "off", "OFF", "true", "TRUE", "tRUE", "false", "False", "0", "-0", "+1", "0b101", "-0b1_0", "0o17", "017",
        "08", "0x1F", "+0xff_ff", "1_000", "1:30", "190:20:30", "-1:5", "1.5", ".5", "1e10", "1.0e+3", "._5", ".5e-3",
        ".inf", "-.Inf", "+.INF", ".nan", "NaN", ".NaN", "1:20.5", "<<", "<", "<<<", "=", "==", "2024-01-15",
        "2024-1-5 10:30:00", "2024-01-15T10:30:00Z", "2024-01-15t10:30:00.5 +07:00", "2024-01-15 10:30:00 -7",
        "ACCOUNT 1", "main", "a1", "master", "account_name", "0933450210", "VQR000000001", "-", ".", "+", "12abc",
        "true\n", "yes\n", "1\n", "null ", " null", "ops", "name", "finan", "Ω", "ñ", "é1", "\u{FEFF}true", "ture",
        "offset", "nothing", "Y", "N", "1 2", "0.", "-.", "+.5", "1__", "0x", "0b", "0o", "=1",
    ]

    @Test(arguments: written)
    func agreesWithTheDefaultResolverOnWrittenScalars(_ text: String) {
        #expect(ImplicitTagResolver.tag(of: text) == Resolver.default.resolveTag(of: Node(text)), "\(text.debugDescription)")
    }

    @Test func agreesWithTheDefaultResolverOnGeneratedScalars() {
        let pieces = ["0", "1", "7", "9", "_", ":", ".", "-", "+", "e", "E", "x", "b", "o", "O", "T", "t", "Z", " ", "\t",
                      "<", "=", "~", "n", "N", "u", "l", "L", "y", "Y", "s", "a", "inf", "nan", "true", "null", "on",
                      "off", "2024-", "01-", "15", "10:30:00", "\n", "é"]
        var generator = SplitMix64(seed: 0x5EED)
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...6, using: &generator) { text += pieces.randomElement(using: &generator)! }
            if ImplicitTagResolver.tag(of: text) != Resolver.default.resolveTag(of: Node(text)) { disagreements.append(text) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    @Test func aManifestComposedWithTheBasicResolverConvertsAsWithTheDefaultOne() throws {
        let yaml = """
            plain: ACCOUNT 1
            quoted: "true"
            single: '12'
            flags: [yes, No, on, OFF, true, False]
            numbers: [0, -3, 0x1F, 017, 0b11, 1_000, 1:30, 1.5, .5, 1e3, .inf, -.Inf, .nan]
            empty:
            tilde: ~
            words: [null, Null, nULL, ops, name, "null", '']
            dates: [2024-01-15, 2024-01-15T10:30:00Z]
            tagged: [!!str 12, !!int "7", !!bool yes, ! 5, !!null ""]
            odd: [<<, "<<", "="]
            folded: >
              1
            literal: |
              true
            base: &base { account_name: ACCOUNT 2, master: main }
            copy: *base
            """
        let basicNode = try compose(yaml: yaml, .basic)
        let standardNode = try compose(yaml: yaml)
        let basic = try ManifestNode.converting(#require(basicNode), file: "m.yaml")
        let standard = try ManifestNode.converting(#require(standardNode), file: "m.yaml")
        #expect(Self.leaves(basic) == Self.leaves(standard))
        #expect(Self.leaves(basic).contains("flags.0 yes boolean(true)"))
        #expect(Self.leaves(basic).contains("tagged.0 12 string(\"12\")"))
    }

    @Test func anUnsupportedTagIsStillRefused() throws {
        let composed = try compose(yaml: "key: !!binary aGVsbG8=", .basic)
        let node = try #require(composed)
        #expect(throws: ManifestNode.ConversionProblem.self) { try ManifestNode.converting(node, file: "m.yaml") }
    }

    /// Every scalar of a tree as "path text value", in document order.
    static func leaves(_ node: ManifestNode, path: String = "") -> [String] {
        switch node {
        case .scalar(let text, let value, _): return ["\(path) \(text) \(value)"]
        case .mapping(let entries, _):
            return entries.flatMap { leaves($0.value, path: path.isEmpty ? $0.key : "\(path).\($0.key)") }
        case .sequence(let items, _):
            return items.enumerated().flatMap { leaves($1, path: "\(path).\($0)") }
        }
    }
}

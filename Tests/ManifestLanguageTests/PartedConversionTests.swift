import PlanModel
import Testing
import Yams
@testable import ManifestLanguage

/// A long mapping is converted in two parts at once, and a kind's long list of entries is read in two parts at once:
/// the result must be what one pass makes, problems and their places included.
struct PartedConversionTests {
    /// Everything a converted node holds, locations included, as text.
    static func dump(_ node: ManifestNode) -> String {
        switch node {
        case .scalar(let text, let value, let at): return "\(text)=\(value)@\(at)"
        case .sequence(let items, let at): return "[" + items.map(dump).joined(separator: ",") + "]@\(at)"
        case .mapping(let entries, let at):
            return "{" + entries.map { "\($0.key)@\($0.keyLocation):\(dump($0.value))" }.joined(separator: ",") + "}@\(at)"
        }
    }

    enum Outcome: Equatable {
        case success(String)
        case failure(String)
    }

    /// Converts `text` with parts of at most `partSize` entries; the problem as text when it fails.
    static func convert(_ text: String, partSize: Int) -> Outcome {
        do {
            guard let node = try Yams.compose(yaml: text, .basic) else { return .failure("no document") }
            return .success(dump(try ManifestNode.converting(node, file: "long.yaml", partSize: partSize)))
        } catch {
            return .failure("\(error)")
        }
    }

    /// `count` entries of a mapping; anchors in the first half are repeated by aliases in both halves, and an anchor in
    /// the second half is repeated after it.
    static func longMapping(_ count: Int, tail: String = "") -> String {
        var lines = ["entries:", "  e0: &shared { a: 1, b: [x, y], c: &inner { d: true } }"]
        for index in 1..<count {
            switch index % 7 {
            case 0: lines.append("  e\(index): *shared")
            case 3: lines.append("  e\(index): { nested: *inner, n: \(index) }")
            default: lines.append("  e\(index): { name: \"account \(index)\", n: \(index) }")
            }
        }
        lines.append("  late: &late [p, q]")
        lines.append("  later: *late")
        return lines.joined(separator: "\n") + "\n" + tail
    }

    @Test func aLongMappingConvertedInPartsIsWhatOnePassMakes() throws {
        let text = Self.longMapping(5_000)
        let parted = Self.convert(text, partSize: 100)
        let whole = Self.convert(text, partSize: .max)
        guard case .success(let one) = whole else { Issue.record("one pass failed"); return }
        #expect(parted == whole, "the parts differ from one pass")
        let placed = one.contains("e4998@long.yaml:5000:3") && one.contains("later@long.yaml:5003:3:[p=string(\"p\")@long.yaml:5002:16")
        #expect(placed, "entries keep their places, and an alias its anchor's")
    }

    /// Each part alone stays within the alias budget; the two together do not (200 aliases of 1,001 nodes: 200,200, one
    /// alias more than the budget allows), and the problem is the one one pass finds.
    @Test func aliasesSpreadOverBothPartsAreChargedToOneBudget() {
        let list = "  e0: &list [" + Array(repeating: "x", count: 1_000).joined(separator: ",") + "]\n"
        let entries = (1...200).map { "  e\($0): *list\n" }.joined()
        let text = "entries:\n" + list + entries
        let parted = Self.convert(text, partSize: 100)
        #expect(parted == Self.convert(text, partSize: .max), "the parts differ from one pass")
        guard case .failure(let problem) = parted else { Issue.record("200,200 nodes added by aliases were accepted"); return }
        #expect(problem.contains("tooLarge"), "\(problem)")
    }

    @Test func aProblemInTheSecondPartIsFoundWhereOnePassFindsIt() {
        let text = Self.longMapping(3_000).replacingOccurrences(of: "  e2500: { name: \"account 2500\", n: 2500 }", with: "  e2500: !!binary aGVsbG8=")
        #expect(text.contains("!!binary"))
        let parted = Self.convert(text, partSize: 100)
        #expect(parted == Self.convert(text, partSize: .max), "the parts differ from one pass")
        guard case .failure(let problem) = parted else { Issue.record("the tag was accepted"); return }
        #expect(problem.contains("binary") && problem.contains("long.yaml:2502:"), "\(problem)")
    }

    /// A kind's 5,000 entries are read in two parts at once: every entry is one resource at its place, and the problems
    /// of both parts, and the values read from the environment, are all kept.
    @Test func aKindsLongListReadInPartsKeepsOrderProblemsAndReadValues() throws {
        let body = (1...5_000).map { index -> String in
            switch index {
            case 40: return "    a40: { name: \"${env:FIRST_NAME}\" }\n"
            case 4_000: return "    a4000: { name: \"${env:SECOND_NAME}\" }\n"
            case 1_200, 4_800: return "    a\(index): { nam: typo }\n"
            default: return "    a\(index): { name: ACCOUNT \(index) }\n"
            }
        }.joined()
        let text = ManifestScaleTests.header + "bank:\n  accounts:\n" + body
        let parser = ManifestParser(catalog: ManifestScaleTests.catalog, environment: ["FIRST_NAME": "first", "SECOND_NAME": "second"])
        do {
            _ = try parser.parse([ManifestSource(path: "bank.yaml", text: text)])
            Issue.record("two unknown keys were accepted")
        } catch {
            let places = error.problems.map(\.description).filter { $0.contains("nam") && $0.contains("bank.yaml") }
            #expect(places.contains { $0.contains("bank.yaml:1205:") }, "\(places)")
            #expect(places.contains { $0.contains("bank.yaml:4805:") }, "\(places)")
        }
        let fixed = text.replacingOccurrences(of: "{ nam: typo }", with: "{ name: fixed }")
        let manifest = try parser.parse([ManifestSource(path: "bank.yaml", text: fixed)])
        let names = manifest.resources.compactMap(\.address.name)
        #expect(names.count == 5_000 && Set(names) == Set((1...5_000).map { "a\($0)" }), "every entry is one resource")
        let byName = Dictionary(uniqueKeysWithValues: manifest.resources.map { ($0.address.name ?? "", $0) })
        #expect(byName["a40"]?.attributes["name"]?.revealedText == "first")
        #expect(byName["a4000"]?.attributes["name"]?.revealedText == "second")
        #expect(byName["a4001"]?.location.line == 4_006)
        #expect(manifest.interpolated.isSuperset(of: ["first", "second"]))
    }

    /// Twenty files of 500 accounts (about 400 KB) are read in two parts at once: the manifest is the one a single file
    /// makes, and a file that is not YAML in the second part is reported at its place, once.
    @Test func filesReadInPartsMakeTheManifestOneFileMakes() throws {
        let parser = ManifestParser(catalog: ManifestScaleTests.catalog, environment: [:])
        let whole = try parser.parse([ManifestSource(path: "bank.yaml", text: ManifestScaleTests.header + ManifestScaleTests.accounts(1...10_000))])
        var parts = (0..<20).map { part in
            ManifestSource(
                path: "part-\(part).yaml",
                text: (part == 0 ? ManifestScaleTests.header : "") + ManifestScaleTests.accounts((part * 500 + 1)...(part * 500 + 500)))
        }
        #expect(parts.reduce(0) { $0 + $1.text.utf8.count } >= ParseRun.partBytes * 2)
        let split = try parser.parse(parts)
        #expect(split.resources.map(\.address) == whole.resources.map(\.address), "the same resources")
        #expect(split.resources.map(\.attributes) == whole.resources.map(\.attributes), "with the same values")
        #expect(split.resources.first { $0.address.name == "a9999" }?.location.file == "part-19.yaml")
        parts[15].text += "  broken: [unclosed\n"
        do {
            _ = try parser.parse(parts)
            Issue.record("a file that is not YAML was accepted")
        } catch {
            let syntax = error.problems.map(\.description).filter { $0.contains("YAML syntax") }
            #expect(syntax.count == 1 && syntax[0].contains("part-15.yaml:"), "\(syntax)")
        }
    }
}

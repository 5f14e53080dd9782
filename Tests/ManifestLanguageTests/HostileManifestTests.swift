import PlanModel
import Testing
import ManifestLanguage

/// Manifests written to hurt the parser: alias bombs and tags the language does not have.
@Suite(.timeLimit(.minutes(1)))
struct HostileManifestTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try ManifestParser(catalog: ProviderCatalog([]), environment: [:]).parse([ManifestSource(path: "bomb.yaml", text: text)])
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// Nine levels of nine aliases: 9^9 nodes once followed, from a few hundred bytes.
    static let billionLaughs: String = {
        var lines = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
        }
        return lines.joined(separator: "\n") + "\nversion: 1\n"
    }()

    @Test func anAliasBombFailsWithALocatedErrorInsteadOfExhaustingMemory() {
        #expect(Self.billionLaughs.utf8.count < 400)
        let found = problems(Self.billionLaughs)
        #expect(found.count == 1)
        #expect(found.first?.contains("aliases expand this file past 200000 nodes") == true)
        #expect(found.first?.contains("(bomb.yaml:") == true)
    }

    /// One anchor of 1,000 scalars repeated 201 times: no nesting, 201,201 nodes added by aliases.
    @Test func aliasesAddingMoreThanTheBudgetFailWithoutNesting() {
        let list = "list: &list [" + Array(repeating: "x", count: 1000).joined(separator: ",") + "]\n"
        let copies = "copies: [" + Array(repeating: "*list", count: 201).joined(separator: ",") + "]\n"
        let found = problems(list + copies + "version: 1\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("aliases expand this file past 200000 nodes") == true, "\(found)")
    }

    @Test(arguments: ["!!binary aGVsbG8=", "!!set {a, b}", "!custom value"])
    func anExplicitTagOutsideTheLanguageIsRejected(_ value: String) {
        let found = problems("version: 1\nproviders: {}\nsecret: \(value)\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("is not part of the manifest language") == true, "\(found)")
        #expect(found.first?.contains("(bomb.yaml:3:") == true, "\(found)")
    }

    @Test func ordinaryAliasesStillWork() {
        let found = problems("version: 1\nproviders: {}\nx: &shared { a: 1 }\ny: *shared\n")
        #expect(!found.contains { $0.contains("aliases expand") || $0.contains("manifest language") }, "\(found)")
    }
}

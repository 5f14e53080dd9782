import PlanModel
import Testing
import ManifestLanguage

/// Manifests the size a large team writes: many resources, many files. Not timed: `provision-bench` holds the speed.
struct ManifestScaleTests {
    /// One bank type with one kind of named resource and one attribute: what these tests need, and cheap to validate.
    static let catalog = ProviderCatalog([
        ProviderTypeSchema(type: "test-bank", displayName: "Test Bank", settings: [], kinds: [
            ResourceKindSchema(
                name: "accounts", capability: .managed,
                attributes: [AttributeSchema("name", .string, .required, summary: "name")], summary: "accounts"),
        ]),
    ])

    static let header = "version: 1\nproviders:\n  bank: { type: test-bank }\n"

    /// The `accounts:` section of `range`, one resource a line.
    static func accounts(_ range: ClosedRange<Int>) -> String {
        "bank:\n  accounts:\n" + range.map { "    a\($0): { name: ACCOUNT \($0) }\n" }.joined()
    }

    func parse(_ sources: [ManifestSource]) throws(ManifestError) -> Manifest {
        try ManifestParser(catalog: Self.catalog, environment: [:]).parse(sources)
    }

    /// 100,000 resources write out 300,001 nodes and no alias: the alias budget has nothing to say about them.
    @Test func aManifestOfAHundredThousandResourcesLoads() throws {
        let manifest = try parse([ManifestSource(path: "bank.yaml", text: Self.header + Self.accounts(1...100_000))])
        #expect(manifest.resources.count == 100_000)
        #expect(manifest.resources.first { $0.address.name == "a99999" }?.attributes["name"] == .string("ACCOUNT 99999"))
    }

    @Test func aSectionSplitOverFilesMakesTheManifestOneFileMakes() throws {
        let whole = try parse([ManifestSource(path: "bank.yaml", text: Self.header + Self.accounts(1...700))])
        let parts = (0..<7).map { part in
            ManifestSource(path: "part-\(part).yaml", text: (part == 0 ? Self.header : "") + Self.accounts((part * 100 + 1)...(part * 100 + 100)))
        }
        let split = try parse(parts)
        #expect(split.resources.map(\.address) == whole.resources.map(\.address))
        #expect(split.resources.map(\.attributes) == whole.resources.map(\.attributes))
        #expect(split.resources.first { $0.address.name == "a650" }?.location.file == "part-6.yaml")
    }
}

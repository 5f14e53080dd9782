import Foundation
import PlanModel
import Testing
import ManifestLanguage

/// What a manifest from a pull request may make the tool read and show: `${env:}` and `${file:}` values show as their
/// reference, `${file:}` stays inside the manifest's root, `$${` is a literal, and endpoints do not send credentials in
/// clear or carry them in their URL.
@Suite(.timeLimit(.minutes(1)))
struct BoundaryManifestTests {
    static let planted = "planted-secret-value-4711"

    static let catalog = ProviderCatalog([
        ProviderTypeSchema(
            type: "test-bank", displayName: "Test Bank",
            settings: [
                AttributeSchema("endpoint", .endpoint, .required, summary: "sandbox or the base URL"),
                AttributeSchema("secret_key", .string, .optional, sensitive: true, summary: "a secret"),
            ],
            kinds: [
                ResourceKindSchema(
                    name: "masters", capability: .observed,
                    attributes: [AttributeSchema("number", .string, .required, summary: "number")], naturalKey: ["number"], summary: "masters"),
                ResourceKindSchema(
                    name: "accounts", capability: .managed,
                    attributes: [
                        AttributeSchema("name", .string, .required, summary: "name"),
                        AttributeSchema("status", .enumeration(["Active", "Pending"]), .optional, summary: "status"),
                        AttributeSchema("master", .reference(kind: "masters"), .optional, summary: "master"),
                    ],
                    naturalKey: ["name"], summary: "accounts"),
            ]),
    ])

    static func manifest(_ account: String, endpoint: String = "sandbox", settings: String = "") -> String {
        """
        version: 1
        providers:
          bank:
            type: test-bank
            endpoint: \(endpoint)
        \(settings)
        bank:
          masters:
            main: { number: "0933450210" }
          accounts:
            a:
        \(account)
        """
    }

    static func parse(_ text: String, variables: [String: String] = ["SECRET": planted]) throws(ManifestError) -> Manifest {
        try ManifestParser(catalog: catalog, environment: variables).parse([ManifestSource(path: "bank.yaml", text: text)])
    }

    static func problems(_ text: String, variables: [String: String] = ["SECRET": planted]) -> [String] {
        do {
            _ = try parse(text, variables: variables)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    // MARK: Values read from the environment or a file

    @Test func aVariableInAnOrdinaryAttributeShowsAsItsReferenceAndIsSentAsItsValue() throws {
        let manifest = try Self.parse(Self.manifest("      name: \"${env:SECRET}\"\n      status: ${env:STATUS}"), variables: ["SECRET": Self.planted, "STATUS": "Active"])
        let account = try #require(manifest.resources.first { $0.address.kind == "accounts" })
        #expect(account.attributes["name"]?.description == "${env:SECRET}")
        #expect(account.attributes["name"]?.revealedText == Self.planted)
        #expect(account.attributes["status"]?.description == "${env:STATUS}")
        let json = String(decoding: try JSONEncoder().encode(account.attributes), as: UTF8.self)
        for shown in [json, account.fingerprint, "\(account)", String(reflecting: account.attributes)] {
            #expect(!shown.contains(Self.planted), "\(shown)")
        }
        #expect(manifest.interpolated.contains(Self.planted))
        #expect(account.attributes["name"]?.sameContent(as: .string(Self.planted)) == true, "the differ sees the bank's text as unchanged")
    }

    @Test func aDefaultWrittenInTheManifestShowsAsItself() throws {
        let manifest = try Self.parse(Self.manifest("      name: ${env:UNSET:-KE TOAN}"), variables: [:])
        #expect(manifest.resources.first { $0.address.kind == "accounts" }?.attributes["name"] == .string("KE TOAN"))
    }

    @Test func enumerationAndReferenceErrorsQuoteTheReferenceNotTheValue() {
        let found = Self.problems(Self.manifest("      name: x\n      status: ${env:SECRET}\n      master: ${env:SECRET}"))
        #expect(found.count == 2, "\(found)")
        #expect(found.allSatisfy { $0.contains("${env:SECRET}") && !$0.contains(Self.planted) }, "\(found)")
    }

    @Test func dollarDollarBraceIsALiteral() throws {
        let manifest = try Self.parse(Self.manifest("      name: \"costs $${env:SECRET} and $$ and $x\""))
        #expect(manifest.resources.first { $0.address.kind == "accounts" }?.attributes["name"] == .string("costs ${env:SECRET} and $$ and $x"))
    }

    // MARK: The writer's text loads back as itself

    @Test(arguments: ["${env:SECRET}", "${file:/etc/passwd}", "$${env:SECRET}", "O'Brien \"Q\" & co", "line one\nline two", "  spaced  ", "# not a comment", "$"])
    func writtenTextLoadsBackAsExactlyItself(_ name: String) throws {
        let written = WrittenResource(address: ResourceAddress(instance: "bank", kind: "accounts", name: "a"), attributes: ["name": .string(name)])
        let yaml = ManifestWriter.yaml([written])
        let text = """
            version: 1
            providers:
              bank: { type: test-bank, endpoint: sandbox }

            """ + yaml
        let manifest = try Self.parse(text)
        #expect(manifest.resources.first { $0.address.kind == "accounts" }?.attributes["name"] == .string(name), "\(yaml)")
        #expect(manifest.interpolated.isEmpty, "nothing was read from the environment or a file:\n\(yaml)")
    }

    // MARK: ${file:} stays inside the root

    /// A folder laid out as a repository: `repo/.git/config`, `repo/bank/` for the manifest, `repo/keys/key.txt`, and
    /// `outside.txt` beside the repository.
    struct Tree {
        let top = FileManager.default.temporaryDirectory.appendingPathComponent("provision-root-\(UUID().uuidString)")
        var repo: URL { top.appendingPathComponent("repo") }
        var bank: URL { repo.appendingPathComponent("bank") }

        init(git: Bool = true) throws {
            let manager = FileManager.default
            try manager.createDirectory(at: repo.appendingPathComponent("bank"), withIntermediateDirectories: true)
            try manager.createDirectory(at: repo.appendingPathComponent("keys"), withIntermediateDirectories: true)
            if git {
                try manager.createDirectory(at: repo.appendingPathComponent(".git"), withIntermediateDirectories: true)
                try "[http]\n\textraheader = AUTHORIZATION: basic \(BoundaryManifestTests.planted)\n"
                    .write(to: repo.appendingPathComponent(".git/config"), atomically: true, encoding: .utf8)
            }
            try "inside-key\n".write(to: repo.appendingPathComponent("keys/key.txt"), atomically: true, encoding: .utf8)
            try "\(BoundaryManifestTests.planted)\n".write(to: top.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
        }

        func load(_ reference: String, in folder: URL? = nil) throws(ManifestError) -> Manifest {
            let folder = folder ?? bank
            try? BoundaryManifestTests.manifest("      name: \"\(reference)\"").write(
                to: folder.appendingPathComponent("bank.yaml"), atomically: true, encoding: .utf8)
            return try ManifestLoader.load(path: folder.appendingPathComponent("bank.yaml").path, catalog: BoundaryManifestTests.catalog, variables: [:]).manifest
        }

        func problems(_ reference: String, in folder: URL? = nil) -> [ManifestProblem] {
            do {
                _ = try load(reference, in: folder)
                return []
            } catch {
                return error.problems
            }
        }

        func remove() { try? FileManager.default.removeItem(at: top) }
    }

    static func rule(_ problems: [ManifestProblem]) -> FileRule? {
        guard problems.count == 1, case .fileRefused(_, _, let rule, _, _) = problems[0] else { return nil }
        return rule
    }

    @Test func aFileInsideTheRepositoryIsRead() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let manifest = try tree.load("${file:../keys/key.txt}")
        #expect(manifest.resources.first { $0.address.kind == "accounts" }?.attributes["name"]?.revealedText == "inside-key")
    }

    @Test func anAbsolutePathIsRefused() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let problems = tree.problems("${file:/etc/passwd}")
        #expect(Self.rule(problems) == .absolute, "\(problems)")
        #expect(problems.first?.description.contains("relative to the manifest file") == true)
        #expect(Self.rule(tree.problems("${file:/proc/self/environ}")) == .absolute)
    }

    @Test func dotDotOutOfTheRootIsRefused() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let problems = tree.problems("${file:../../outside.txt}")
        #expect(Self.rule(problems) == .outsideRoot, "\(problems)")
        #expect(!problems.map(\.description).joined().contains(Self.planted))
        // Without a repository the root is the manifest's own folder.
        let bare = try Tree(git: false)
        defer { bare.remove() }
        #expect(Self.rule(bare.problems("${file:../keys/key.txt}")) == .outsideRoot)
    }

    @Test func aSymbolicLinkOutOfTheRootIsRefused() throws {
        let tree = try Tree()
        defer { tree.remove() }
        try FileManager.default.createSymbolicLink(at: tree.bank.appendingPathComponent("link.txt"), withDestinationURL: tree.top.appendingPathComponent("outside.txt"))
        try FileManager.default.createSymbolicLink(at: tree.bank.appendingPathComponent("environ"), withDestinationURL: URL(fileURLWithPath: "/proc/self/environ"))
        #expect(Self.rule(tree.problems("${file:link.txt}")) == .outsideRoot)
        #expect(Self.rule(tree.problems("${file:environ}")) == .outsideRoot)
    }

    @Test func gitAndProvisionFoldersDevicesAndLargeFilesAreRefused() throws {
        let tree = try Tree()
        defer { tree.remove() }
        #expect(Self.rule(tree.problems("${file:../.git/config}")) == .privateFolder)
        try FileManager.default.createDirectory(at: tree.bank.appendingPathComponent(".provision"), withIntermediateDirectories: true)
        try "{}".write(to: tree.bank.appendingPathComponent(".provision/secrets.json"), atomically: true, encoding: .utf8)
        #expect(Self.rule(tree.problems("${file:.provision/secrets.json}")) == .privateFolder)
        try FileManager.default.createDirectory(at: tree.bank.appendingPathComponent(".provision/secrets"), withIntermediateDirectories: true)
        try "{}".write(to: tree.bank.appendingPathComponent(".provision/secrets/tokens.json"), atomically: true, encoding: .utf8)
        #expect(Self.rule(tree.problems("${file:.provision/secrets/tokens.json}")) == .privateFolder)
        try FileManager.default.createDirectory(at: tree.bank.appendingPathComponent(".provision/sandbox"), withIntermediateDirectories: true)
        try "public".write(to: tree.bank.appendingPathComponent(".provision/sandbox/bank-public.pem"), atomically: true, encoding: .utf8)
        #expect(tree.problems("${file:.provision/sandbox/bank-public.pem}").isEmpty, "a sandbox's public certificate may be read")
        #expect(mkfifo(tree.bank.appendingPathComponent("pipe").path, 0o600) == 0)
        #expect(Self.rule(tree.problems("${file:pipe}")) == .notRegularFile)
        #expect(Self.rule(tree.problems("${file:../keys}")) == .notRegularFile)
        try Data(count: FileRule.maximumSize + 1).write(to: tree.bank.appendingPathComponent("big.bin"))
        #expect(Self.rule(tree.problems("${file:big.bin}")) == .tooLarge)
    }

    // MARK: Endpoints

    @Test func plainHttpToAnotherHostIsRefusedUnlessAllowed() {
        let remote = Self.problems(Self.manifest("      name: x", endpoint: "http://bank.example/api"))
        #expect(remote.count == 1 && remote[0].contains("plain http"), "\(remote)")
        #expect(Self.problems(Self.manifest("      name: x", endpoint: "http://bank.example/api", settings: "    allow_insecure_http: true")).isEmpty)
        for local in ["http://127.0.0.1:8080/finan", "http://localhost:9/x", "http://[::1]:8080/x", "https://bank.example/api"] {
            #expect(Self.problems(Self.manifest("      name: x", endpoint: local)).isEmpty, "\(local)")
        }
    }

    @Test func credentialsInAnEndpointAreRefused() {
        let found = Self.problems(Self.manifest("      name: x", endpoint: "https://user:\(Self.planted)@bank.example/api"))
        #expect(found.count == 1 && found[0].contains("user name or password"), "\(found)")
        #expect(!found.joined().contains(Self.planted))
    }
}

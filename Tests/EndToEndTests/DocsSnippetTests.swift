import _CryptoExtras
import Banks
import Reconciler
import Foundation
import ManifestLanguage
import PlanModel
import Testing
import Yams

/// Every YAML snippet of the docs pastes: each fenced ```yaml block and each inline `key: { ... }` of README.md,
/// docs/*.md and examples/*/README.md is YAML, and a block that is a whole manifest (`version` and `providers`) loads
/// through the manifest parser with the banks' catalog.
@Suite struct DocsSnippetTests {
    /// One YAML snippet and where it is written.
    struct Snippet: Sendable {
        var file: String
        var line: Int
        var text: String
        var place: String { "\(file):\(line)" }
    }

    /// The Markdown files whose snippets a reader pastes.
    static func documents() throws -> [String] {
        let root = HelperTool.repository
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.map { "docs/\($0)" }
        let examples = try exampleNames().map { "examples/\($0)/README.md" }
            .filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
        return (["README.md"] + docs + examples).sorted()
    }

    /// The fenced ```yaml blocks and the inline code spans shaped `key: { ... }` of a Markdown text.
    static func snippets(in text: String, file: String) -> [Snippet] {
        var found: [Snippet] = []
        var block: (line: Int, lines: [String])?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if var open = block {
                if line.hasPrefix("```") {
                    found.append(Snippet(file: file, line: open.line, text: open.lines.joined(separator: "\n") + "\n"))
                    block = nil
                } else {
                    open.lines.append(String(line))
                    block = open
                }
                continue
            }
            if line.hasPrefix("```yaml") || line.hasPrefix("```yml") {
                block = (index + 1, [])
                continue
            }
            for match in line.matches(of: /`([A-Za-z_][\w.-]*: \{[^`]*\})`/) {
                found.append(Snippet(file: file, line: index + 1, text: String(match.1)))
            }
        }
        return found
    }

    static func allSnippets() throws -> [Snippet] {
        try documents().flatMap { file in
            snippets(in: try String(contentsOf: HelperTool.repository.appendingPathComponent(file), encoding: .utf8), file: file)
        }
    }

    /// What is wrong with `snippet` as YAML, or nil when Yams reads it.
    static func yamlProblem(_ snippet: Snippet) -> String? {
        do {
            _ = try Yams.compose(yaml: snippet.text)
            return nil
        } catch {
            return "\(snippet.place) is not YAML: \(error)\n\(snippet.text)"
        }
    }

    @Test func everyYAMLSnippetInTheDocsIsYAML() throws {
        let snippets = try Self.allSnippets()
        #expect(snippets.count >= 15, "the docs' YAML snippets are found (\(snippets.count))")
        #expect(snippets.contains { $0.file == "README.md" && $0.text.hasPrefix("backend: {") }, "inline snippets are found")
        for problem in snippets.compactMap(Self.yamlProblem) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    @Test func anUnquotedInterpolationInAFlowMappingIsCaught() {
        let markdown = "Put `backend: { type: postgres, url: ${env:PROVISION_PG_URL} }` at the top of the manifest."
        let snippets = Self.snippets(in: markdown, file: "old.md")
        #expect(snippets.count == 1)
        #expect(snippets.first.flatMap(Self.yamlProblem) != nil, "an unquoted ${...} inside { } is not YAML")
        let quoted = Self.snippets(in: markdown.replacingOccurrences(of: "url: ${env:PROVISION_PG_URL}", with: "url: \"${env:PROVISION_PG_URL}\""), file: "new.md")
        #expect(quoted.first.flatMap(Self.yamlProblem) == nil)
    }

    @Test func everyWholeManifestInTheDocsLoads() throws {
        let manifests = try Self.allSnippets().filter { snippet in
            guard let top = (try? Yams.load(yaml: snippet.text)) as? [String: Any] else { return false }
            return top["version"] != nil && top["providers"] != nil
        }
        #expect(manifests.count >= 5, "the docs' whole manifests are found (\(manifests.count))")
        for snippet in manifests {
            // Made-up values for the variables a snippet reads without a default, as a reader would export them.
            var variables: [String: String] = [:]
            for match in snippet.text.matches(of: /\$\{env:([A-Za-z0-9_]+)\}/) { variables[String(match.1)] = "made-up-\(match.1.lowercased())" }
            let parser = ManifestParser(catalog: BankRegistry.all.catalog, environment: variables, readFile: Self.exampleFile)
            for result in parser.parseEach([ManifestSource(path: snippet.place, text: snippet.text)]) {
                if case .failure(let error) = result {
                    Issue.record(Comment(rawValue: "\(snippet.place) does not load as a manifest:\n\(error)\n\(snippet.text)"))
                }
            }
        }
    }

    /// A `${file:}` of a docs snippet names the reader's own key or certificate: it reads as the examples' throw-away
    /// RSA test key, or for a certificate its public key (which every certificate setting also takes).
    static let exampleFile: @Sendable (String) throws -> String? = { path in
        let key = try String(
            contentsOf: HelperTool.repository.appendingPathComponent("examples/icici-go-live/keys/sandbox-client-key.pem"), encoding: .utf8)
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard name.contains("certificate") || name.hasSuffix(".cer") else { return key }
        return try _RSA.Signing.PrivateKey(pemRepresentation: key).publicKey.pemRepresentation
    }
}

import Banks
import Reconciler
import Foundation
import PlanModel
import Testing
import ManifestLanguage

/// The invalid-manifest suite: every fixture under `Fixtures/invalid/` must be rejected with exactly the
/// messages in its `.expected` file.
///
/// A fixture is `NN-name.yaml`, or a folder `NN-name/` of `*.yaml` files read in name order, beside
/// `NN-name.expected`: one expected message a line, in order. The `.expected` file may start with header lines:
///
/// - `# env: NAME` — the environment to select, as `--env NAME` would;
/// - `# vars: A=1,B=2` — the variables `${env:...}` sees (nothing else is visible);
/// - `# known-issue: WHY` — the parser does not produce the expected text yet (the expected lines say what it
///   should produce); the case is run under `withKnownIssue`.
///
/// Files are reported under their path relative to the fixtures folder (`12-x.yaml`, `30-x/b.yaml`), so the
/// messages are the same on every machine. `PROVISION_RECORD_GOLDEN=1` rewrites the `.expected` files from
/// the actual output, keeping the header lines (and leaving known-issue fixtures alone).
struct InvalidManifestTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/invalid")

    /// Every fixture name (`NN-name`) found on disk, sorted.
    static let fixtures: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return Set(names.compactMap { name -> String? in
            if name.hasSuffix(".expected") { return nil }
            if name.hasSuffix(".yaml") { return String(name.dropLast(5)) }
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder)
            return isFolder.boolValue ? name : nil
        }).sorted()
    }()

    /// Text that appears only inside secret values in the fixtures; no message may show it.
    static let secretMarker = "s3cr3t"

    struct Expectation {
        var environment: String?
        var variables: [String: String] = [:]
        var knownIssue: String?
        var headers: [String] = []
        var lines: [String] = []
    }

    static func expectation(_ name: String) throws -> Expectation {
        let text = try String(contentsOf: folder.appendingPathComponent("\(name).expected"), encoding: .utf8)
        var expectation = Expectation()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if expectation.lines.isEmpty, line.hasPrefix("# ") {
                expectation.headers.append(line)
                if line.hasPrefix("# env: ") {
                    expectation.environment = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces)
                } else if line.hasPrefix("# vars: ") {
                    for pair in line.dropFirst(8).split(separator: ",") {
                        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                        expectation.variables[parts[0].trimmingCharacters(in: .whitespaces)] = parts.count > 1 ? parts[1] : ""
                    }
                } else if line.hasPrefix("# known-issue: ") {
                    expectation.knownIssue = String(line.dropFirst(15))
                }
            } else if !line.isEmpty {
                expectation.lines.append(line)
            }
        }
        return expectation
    }

    /// The fixture's files as sources named relative to the fixtures folder.
    static func sources(_ name: String) throws -> [ManifestSource] {
        let file = folder.appendingPathComponent("\(name).yaml")
        if FileManager.default.fileExists(atPath: file.path) {
            return [ManifestSource(path: "\(name).yaml", text: try String(contentsOf: file, encoding: .utf8))]
        }
        let directory = folder.appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        return try files.map { file in
            ManifestSource(path: "\(name)/\(file)", text: try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8))
        }
    }

    /// Loads like `ManifestLoader.load`: a manifest that declares environments needs one chosen.
    static func problems(_ name: String, _ expectation: Expectation) throws -> [ManifestProblem] {
        let sources = try sources(name)
        let root = folder
        let parser = ManifestParser(catalog: BankRegistry.all.catalog, environment: expectation.variables, readFile: { path in
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
            return try? String(contentsOf: url, encoding: .utf8)
        })
        if expectation.environment == nil {
            let declared = parser.declaredEnvironments(sources)
            if !declared.isEmpty { return ManifestError([.environmentRequired(known: declared)]).problems }
        }
        do {
            let manifest = try parser.parse(sources, environment: expectation.environment)
            Issue.record("\(name) was accepted: \(manifest.resources.map(\.address.description))")
            return []
        } catch {
            return error.problems
        }
    }

    @Test func theSuiteHasAtLeast45Fixtures() {
        #expect(Self.fixtures.count >= 45, "found \(Self.fixtures.count) fixtures in \(Self.folder.path)")
    }

    @Test(arguments: fixtures)
    func rejectsWithExactMessages(_ name: String) throws {
        let expectation = try Self.expectation(name)
        let problems = try Self.problems(name, expectation)
        let actual = problems.map(\.description)

        if ProcessInfo.processInfo.environment["PROVISION_RECORD_GOLDEN"] == "1", expectation.knownIssue == nil {
            let text = (expectation.headers + actual).joined(separator: "\n") + "\n"
            try text.write(to: Self.folder.appendingPathComponent("\(name).expected"), atomically: true, encoding: .utf8)
            return
        }

        #expect(!expectation.lines.isEmpty, "\(name).expected lists no messages")
        if let reason = expectation.knownIssue {
            withKnownIssue(Comment(rawValue: reason)) {
                try Self.check(name, problems, expectation)
            }
        } else {
            try Self.check(name, problems, expectation)
        }
    }

    static func check(_ name: String, _ problems: [ManifestProblem], _ expectation: Expectation) throws {
        let actual = problems.map(\.description)
        #expect(actual == expectation.lines)

        // Every message says where; only the choice of environment has no place in a file.
        let place = #/\([^()]*:\d+:\d+\)/#
        for problem in problems {
            switch problem {
            case .unknownEnvironment, .environmentRequired:
                #expect(problem.location == nil)
            default:
                let location = try #require(problem.location, "no location: \(problem.description)")
                #expect(problem.description.contains("(\(location))"), "\(problem.description)")
                #expect(problem.description.contains(place), "no file:line:col in \(problem.description)")
                #expect(location.file.hasPrefix(name), "\(problem.description) names a file outside fixture \(name)")
            }
        }

        // No message shows a secret, whether written literally or read from a variable.
        let secrets = expectation.variables.values.filter { $0.contains(secretMarker) }
        for message in actual {
            #expect(!message.contains(secretMarker), "a secret shows in: \(message)")
            for secret in secrets {
                #expect(!message.contains(secret), "secret \(secret.prefix(3))… shows in: \(message)")
            }
        }
    }
}

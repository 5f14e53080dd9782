import Foundation
import Testing

/// A full run of every command a team uses, then a scan of every output channel and every file the tool wrote
/// for every secret value: none may appear outside the secret store.
struct SecretScanEndToEndTests {
    static let secrets = [
        "FINAN_SECRET_KEY": "sandbox-secret-key",
        "SEPAY_CLIENT_SECRET": "sandbox-client-secret",
        "BANKHUB_WEBHOOK_SECRET": "sandbox-webhook-secret-1234",
    ]

    @Test func noSecretReachesOutputStatePlansOrTheJournal() throws {
        let binary = try ProvisionBinary()
        var outputs: [String] = []
        for example in ["quickstart", "sepay-bank-link"] {
            let folder = try copyOfExample(example)
            for arguments in [["validate"], ["plan", "--out", "saved.plan"], ["plan", "--format", "json"], ["plan", "--format", "markdown"],
                              ["apply", "--auto-approve"], ["drift"], ["state", "list"]] {
                let result = try binary.run(arguments + [folder.path], in: folder, environment: Self.secrets)
                outputs += [result.output, result.errors]
            }
            outputs += try Self.filesWritten(in: folder)
        }
        for (name, value) in Self.secrets {
            #expect(!outputs.contains { $0.contains(value) }, "\(name)'s value appears in an output or a file")
        }
    }

    @Test func noSecretReachesTheLogAtTraceLevel() throws {
        let binary = try ProvisionBinary()
        var logs: [String] = []
        for example in ["quickstart", "sepay-bank-link"] {
            let folder = try copyOfExample(example)
            defer { try? FileManager.default.removeItem(at: folder) }
            for arguments in [["plan"], ["apply", "--auto-approve"], ["drift"]] {
                let result = try binary.run(arguments + ["--log-level", "trace", folder.path], in: folder, environment: Self.secrets)
                logs += [result.output, result.errors]
            }
        }
        #expect(logs.contains { $0.contains(" trace provision.http:") }, "trace logs the HTTP calls: \(logs)")
        #expect(logs.contains { $0.contains(" debug provision.http:") && $0.contains("status=200") })
        for (name, value) in Self.secrets {
            #expect(!logs.contains { $0.contains(value) }, "\(name)'s value appears in the log")
        }
    }

    /// The text of every file the tool wrote beside the manifest, except the secret store and the simulator's own world.
    static func filesWritten(in folder: URL) throws -> [String] {
        var texts: [String] = []
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let file = enumerator?.nextObject() as? URL {
            let path = file.path
            if path.contains("/.provision/sandbox") || path.hasSuffix("secrets.json") || path.hasSuffix("tokens.json") || file.pathExtension == "yaml" { continue }
            if let text = try? String(contentsOf: file, encoding: .utf8) { texts.append(text) }
        }
        return texts
    }
}

import Foundation
@testable import PostgresState
import Sandbox
import Testing

/// A PostgreSQL-backed manifest against a Finan One simulator that every process of a test shares.
struct PostgresFixture {
    static let url = ProcessInfo.processInfo.environment["PROVISION_TEST_PG_URL"]
    /// Why these tests are skipped, shown by swift-testing beside each of them.
    static let skipReason: Comment = "PROVISION_TEST_PG_URL is not set, so there is no PostgreSQL server for this run; `bash .ci/run` starts one with .ci/postgres.sh (see docs/state.md, Testing)"
    static let stateName = "team-bank"

    let binary: ProvisionBinary
    let folder: URL
    let sandboxData: URL
    let backend: PostgresStateBackend
    /// The child processes' environment: the manifest reads the URL from it.
    var environment: [String: String] { ["PROVISION_PG_URL": Self.url!] }

    static var password: String { ((try? PostgresURL(parsing: url!))?.password?.revealed) ?? "no password" }

    static func uniqueSchema() -> String {
        "e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24)
    }

    static func backend(schema: String, name: String = stateName, localDirectory: URL) throws -> PostgresStateBackend {
        try PostgresStateBackend(url: try PostgresURL(parsing: url!), schema: schema, name: name, environment: nil, localDirectory: localDirectory)
    }

    /// Runs `body` with a schema of its own, dropped afterwards.
    static func withSchema<T>(_ body: (String) async throws -> T) async throws -> T {
        let schema = uniqueSchema()
        let dropper = try backend(schema: schema, localDirectory: FileManager.default.temporaryDirectory)
        do {
            let result = try await body(schema)
            try await dropper.dropSchema()
            return result
        } catch {
            try? await dropper.dropSchema()
            throw error
        }
    }

    /// Starts the simulator, writes a manifest of one master and `accounts` bank accounts (rate-limited, so an
    /// apply takes a few seconds) kept in PostgreSQL, runs `body`, then stops and removes everything.
    static func withBank<T>(accounts: [String], _ body: (PostgresFixture) async throws -> T) async throws -> T {
        try await withSchema { schema in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("provision-pg-e2e-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let sandboxData = root.appendingPathComponent("bank")
            let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: sandboxData.path))
            let folder = try folderWithManifest(manifest(schema: schema, port: sandbox.port, accounts: accounts))
            defer { try? FileManager.default.removeItem(at: folder) }
            let fixture = PostgresFixture(
                binary: try ProvisionBinary(), folder: folder, sandboxData: sandboxData,
                backend: try backend(schema: schema, localDirectory: folder.appendingPathComponent(".provision")))
            do {
                let result = try await body(fixture)
                await sandbox.stop()
                return result
            } catch {
                await sandbox.stop()
                throw error
            }
        }
    }

    static func manifest(schema: String, port: Int, accounts: [String]) -> String {
        let entries = accounts.enumerated().map { "    a\($0.offset): { master: main, account_name: \($0.element) }" }
        return """
            version: 1
            backend:
              type: postgres
              url: ${env:PROVISION_PG_URL}
              schema: \(schema)
              name: \(stateName)
            providers:
              finan:
                type: finan-one
                endpoint: http://127.0.0.1:\(port)/finan/open
                client_id: sandbox-client-id
                secret_key: sandbox-secret-key
                rate_limit: 2
            finan:
              master_accounts:
                main: { account_number: "0933450210" }
              bank_accounts:

            """ + entries.joined(separator: "\n") + "\n"
    }

    /// The names of the bank accounts the simulator holds, sorted; a name created twice appears twice.
    func accountsAtTheBank() throws -> [String] {
        let data = try Data(contentsOf: sandboxData.appendingPathComponent("finan.json"))
        let world = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let accounts = world?["accounts"] as? [[String: Any]] ?? []
        return accounts.compactMap { $0["account_name"] as? String }.sorted()
    }

    func expectNoPassword(in result: ProvisionBinary.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!(result.output + result.errors).contains(Self.password), "the database password was printed", sourceLocation: sourceLocation)
    }

    /// Waits until `condition` holds, checking every 100 ms for at most `limit`; fails naming `what` otherwise.
    static func eventually(_ what: String, within limit: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out after \(limit) waiting until \(what)")
        throw CancellationError()
    }

    /// Now, in the format the database reports times in (ISO 8601, UTC, milliseconds).
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

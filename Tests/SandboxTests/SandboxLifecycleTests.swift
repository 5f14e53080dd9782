import Foundation
import NIOHTTP1
import Sandbox
import Testing

@Suite("Sandbox lifecycle, persistence and seeds")
struct SandboxLifecycleTests {
    static func writeSeed(_ text: String, in folder: URL, name: String = "seed.json") throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test("the world survives a stop and a start on the same data folder")
    func persistence() async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try await FinanHarness.with(directory: folder) { sandbox in
            try await sandbox.create("KE TOAN")
        }
        let id = try #require(created["account_id"] as? String)
        let number = try #require(created["account_number"] as? String)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("finan.json").path))

        try await FinanHarness.with(directory: folder) { sandbox in
            let one = try await sandbox.call(.GET, "/api/v1/bank-accounts/\(id)")
            #expect(one.status == 200, "\(one.raw)")
            #expect(one.dataObject?["account_name"] as? String == "KE TOAN")
            let byNumber = try await sandbox.call(.GET, "/api/v1/bank-accounts", query: "account_number=\(number)")
            #expect(byNumber.dataArray?.count == 1)
            let duplicate = try await sandbox.call(
                .POST, "/api/v1/bank-accounts", body: #"{"master_account_id":"\#(FinanHarness.masterID)","account_name":"KE TOAN"}"#)
            #expect(duplicate.code == 224016)
            let next = try await sandbox.create("THU NGAN")
            #expect(next["account_number"] as? String != number)
            #expect((next["account_number"] as? String)?.hasSuffix("0002") == true)
        }
    }

    @Test("without a data folder the world lives in memory only")
    func memoryOnly() async throws {
        let first = try await SandboxServer.start(SandboxConfiguration(now: { Date(timeIntervalSince1970: 1_700_000_000) }))
        let second = try await SandboxServer.start(SandboxConfiguration(now: { Date(timeIntervalSince1970: 1_700_000_000) }))
        #expect(first.port != second.port)
        #expect(first.port > 0)
        await first.stop()
        await second.stop()
    }

    @Test("a seed file replaces the default client and master; a master without account_id gets a generated one")
    func seedReplacesDefaults() async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seed = try Self.writeSeed(
            """
            {"finan": {
              "clients": [{"client_id": "acme", "secret_key": "acme-secret"}],
              "master_accounts": [
                {"account_number": "123456785678", "account_name": "ACME CORP", "bank_code": "SHB"},
                {"account_id": "11111111-2222-3333-4444-555555555555", "account_number": "9999", "account_name": "SHORT", "bank_code": "MB"}
              ]
            }}
            """, in: folder)
        try await FinanHarness.inProcess(directory: folder.appendingPathComponent("data"), seed: seed) { sandbox in
            let defaultClient = try await sandbox.call(.GET, "/api/v1/master-bank-accounts")
            #expect(defaultClient.status == 401)
            #expect(defaultClient.error == "Unknown client id")

            let reply = try await sandbox.call(.GET, "/api/v1/master-bank-accounts", client: "acme", secret: "acme-secret")
            #expect(reply.status == 200, "\(reply.raw)")
            let items = try #require(reply.dataArray)
            #expect(items.count == 2)
            #expect(items.map { $0["account_number"] as? String } == ["1234XXXX5678", "9999"])
            #expect(!items.contains { $0["account_id"] as? String == FinanHarness.masterID })
            let generated = try #require(items[0]["account_id"] as? String)
            #expect(UUID(uuidString: generated) != nil)
            #expect(items[1]["account_id"] as? String == "11111111-2222-3333-4444-555555555555")

            let created = try await sandbox.call(
                .POST, "/api/v1/bank-accounts", body: #"{"master_account_id":"\#(generated)","account_name":"KE TOAN"}"#,
                client: "acme", secret: "acme-secret")
            #expect(created.status == 200, "\(created.raw)")
            #expect(created.dataObject?["bank_code"] as? String == "SHB")
            #expect(created.dataObject?["master_account_name"] as? String == "ACME CORP")
        }
    }

    @Test("a persisted world wins over the seed file")
    func persistedWorldWinsOverSeed() async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await FinanHarness.with(directory: folder) { sandbox in try await sandbox.create("KE TOAN") }
        let seed = try Self.writeSeed(#"{"finan":{"clients":[{"client_id":"acme","secret_key":"s"}],"master_accounts":[]}}"#, in: folder)
        try await FinanHarness.with(directory: folder, seed: seed) { sandbox in
            let reply = try await sandbox.call(.GET, "/api/v1/bank-accounts")
            #expect(reply.status == 200, "\(reply.raw)")
            #expect(reply.dataArray?.count == 1)
        }
    }

    @Test("an unknown top-level seed key is an error naming the file and the key")
    func unknownSeedKey() async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seed = try Self.writeSeed(#"{"finan":{"clients":[],"master_accounts":[]},"monzo":{}}"#, in: folder)
        let error = await #expect(throws: SandboxError.self) {
            let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: folder.path, seedFile: seed))
            await sandbox.stop()
        }
        let text = try #require(error).description
        #expect(text.contains(seed))
        #expect(text.contains("monzo"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("finan.json").path))
    }

    @Test(
        "a seed file that is not valid JSON, or has a wrong type, a misspelt key or a repeated id, is an error naming the file and the problem",
        arguments: [
            ("{not json", nil as String?),
            (#"{"finan":{"clients":[{"client_id":"a"}],"master_accounts":[]}}"#, "secret_key"),
            (#"{"finan":{"clients":[],"master_accounts":[{"account_number":1,"account_name":"A","bank_code":"MB"}]}}"#, "account_number"),
            (#"{"finan":{"clients":[],"master_accounts":[{"acount_id":"x","account_number":"1","account_name":"A","bank_code":"MB"}]}}"#, "acount_id"),
            (#"{"finan":{"clients":[{"client_id":"a","secret_key":"1"},{"client_id":"a","secret_key":"2"}],"master_accounts":[]}}"#, "appears twice"),
            ("[]", "top level"),
        ])
    func invalidSeed(text: String, field: String?) async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seed = try Self.writeSeed(text, in: folder)
        let error = await #expect(throws: SandboxError.self) {
            let sandbox = try await SandboxServer.start(SandboxConfiguration(seedFile: seed))
            await sandbox.stop()
        }
        let description = try #require(error).description
        #expect(description.contains(seed))
        if let field { #expect(description.contains(field), "\(description)") }
    }

    @Test("a missing seed file is an error naming the file")
    func missingSeed() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-seed-\(UUID().uuidString).json").path
        let error = await #expect(throws: SandboxError.self) {
            let sandbox = try await SandboxServer.start(SandboxConfiguration(seedFile: path))
            await sandbox.stop()
        }
        #expect(try #require(error).description.contains(path))
    }

    @Test("a data folder that cannot be created is an error naming it")
    func unwritableDataDirectory() async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let data = file.appendingPathComponent("data").path
        let error = await #expect(throws: SandboxError.self) {
            let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: data))
            await sandbox.stop()
        }
        #expect(try #require(error).description.contains(data))
    }

    @Test("a corrupt world file is an error naming it, not silently replaced", arguments: ["finan.json", "sepay.json"])
    func corruptWorld(_ name: String) async throws {
        let folder = FinanHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let world = folder.appendingPathComponent(name)
        try Data("{broken".utf8).write(to: world)
        let error = await #expect(throws: SandboxError.self) {
            let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: folder.path))
            await sandbox.stop()
        }
        #expect(try #require(error).description.contains(world.path))
        #expect(try String(contentsOf: world, encoding: .utf8) == "{broken")
    }

    @Test("a port already in use is an error")
    func portInUse() async throws {
        let first = try await SandboxServer.start(SandboxConfiguration())
        let error = await #expect(throws: SandboxError.self) {
            let second = try await SandboxServer.start(SandboxConfiguration(port: first.port))
            await second.stop()
        }
        await first.stop()
        #expect(try #require(error).description.contains(String(first.port)))
    }
}

import Foundation

/// The manifests and Finan worlds a scenario runs on, written to its own folder.
struct BenchFiles {
    static let masterID = "3c919ce1-b310-47ae-9727-f9323ac4fba7"

    let folder: URL

    /// A new folder, or `existing` (another process's, which removes it).
    init(existing: URL? = nil) throws {
        folder = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("provision-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var manifestFile: URL { folder.appendingPathComponent("bank.yaml") }
    /// The folder of a manifest split over several files.
    var manifestFolder: URL { folder.appendingPathComponent("bank") }
    var stateFolder: URL { folder.appendingPathComponent("state") }
    /// The simulators' data folder, holding `finan.json` when a scenario seeds accounts.
    var worldFolder: URL { folder.appendingPathComponent("world") }

    /// How the manifest is written: in how many files, with how many environments.
    struct Shape {
        /// Files the bank accounts are spread over; every file repeats the `finan: bank_accounts:` section.
        var files = 1
        /// Environments declared, each overriding the webhook, one account and the endpoint, and promoting from the one before.
        var environments = 0
    }

    /// Where `ManifestLoader` reads the manifest: the file, or the folder when it is split.
    func manifestPath(_ shape: Shape) -> String {
        shape.files > 1 ? manifestFolder.path : manifestFile.path
    }

    /// `accounts` bank accounts `ACCOUNT 1`... under one master, on Finan at `port`.
    func writeManifest(port: Int, accounts: Int, rateLimit: Int? = nil, shape: Shape = Shape()) throws {
        let endpoint = "http://127.0.0.1:\(port)/finan/open"
        var text = """
            version: 1
            providers:
              finan:
                type: finan-one
                endpoint: \(endpoint)
                client_id: sandbox-client-id
                secret_key: sandbox-secret-key

            """
        if let rateLimit { text += "    rate_limit: \(rateLimit)\n" }
        text += Self.environments(shape.environments, endpoint: endpoint)
        text += """
            finan:
              master_accounts:
                main: { account_number: "0933450210" }

            """
        let files = max(1, min(shape.files, accounts))
        guard files > 1 else {
            try (text + Self.accounts(1...max(accounts, 1), of: accounts)).write(to: manifestFile, atomically: true, encoding: .utf8)
            return
        }
        try FileManager.default.createDirectory(at: manifestFolder, withIntermediateDirectories: true)
        for part in 0..<files {
            let range = (accounts * part / files + 1)...(accounts * (part + 1) / files)
            let head = part == 0 ? text : "finan:\n"
            let name = String(format: "part-%04d.yaml", part)
            try (head + Self.accounts(range, of: accounts)).write(to: manifestFolder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    /// The `bank_accounts:` entries of `range` (none when the manifest has no accounts).
    static func accounts(_ range: ClosedRange<Int>, of total: Int) -> String {
        guard total > 0 else { return "" }
        var text = "  bank_accounts:\n"
        text.reserveCapacity(range.count * 64)
        for index in range {
            text += "    a\(index): { master: main, account_name: ACCOUNT \(index) }\n"
        }
        return text
    }

    /// `count` environments, `e1`..., each a realistic variant: its own webhook, endpoint and name for `a1`,
    /// promoted from the environment before it.
    static func environments(_ count: Int, endpoint: String) -> String {
        guard count > 0 else { return "" }
        var text = "environments:\n"
        text.reserveCapacity(count * 220)
        for index in 1...count {
            text += "  e\(index):\n"
            if index > 1 { text += "    promotes_from: e\(index - 1)\n" }
            text += "    providers: { finan: { endpoint: \"\(endpoint)\" } }\n"
            text += "    finan:\n      webhook: { url: \"https://hooks.example.com/finan/e\(index)\" }\n"
            text += "      bank_accounts: { a1: { account_name: ACCOUNT E\(index) } }\n"
        }
        return text + "\n"
    }

    /// A Finan world holding the accounts `writeManifest` names, as the simulator saves its world.
    func writeWorld(accounts: Int) throws {
        try FileManager.default.createDirectory(at: worldFolder, withIntermediateDirectories: true)
        var items: [String] = []
        items.reserveCapacity(accounts)
        for index in 1...max(accounts, 1) where accounts > 0 {
            let number = "VQR" + String(format: "%09d", index)
            items.append(#"{"account_id":"acc-\#(index)","master_account_id":"\#(Self.masterID)","account_number":"\#(number)","account_name":"ACCOUNT \#(index)","created_at":"2024-01-15T10:30:00Z"}"#)
        }
        let world = #"""
            {"clients":[{"client_id":"sandbox-client-id","secret_key":"sandbox-secret-key"}],
             "masters":[{"account_id":"\#(Self.masterID)","account_number":"0933450210","account_name":"CONG TY SANDBOX","bank_code":"MB","created_at":"2024-01-15T10:30:00Z"}],
             "accounts":[\#(items.joined(separator: ","))],"sequence":\#(accounts)}
            """#
        try world.write(to: worldFolder.appendingPathComponent("finan.json"), atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

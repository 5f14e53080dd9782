import Foundation

/// The manifests and Finan worlds a scenario runs on, written to its own folder.
struct BenchFiles {
    static let masterID = "3c919ce1-b310-47ae-9727-f9323ac4fba7"

    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("provision-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var manifestFile: URL { folder.appendingPathComponent("bank.yaml") }
    var stateFolder: URL { folder.appendingPathComponent("state") }
    /// The simulators' data folder, holding `finan.json` when a scenario seeds accounts.
    var worldFolder: URL { folder.appendingPathComponent("world") }

    /// `accounts` bank accounts `ACCOUNT 1`... under one master, on Finan at `port`.
    func writeManifest(port: Int, accounts: Int, rateLimit: Int? = nil) throws {
        var text = """
            version: 1
            providers:
              finan:
                type: finan-one
                endpoint: http://127.0.0.1:\(port)/finan/open
                client_id: sandbox-client-id
                secret_key: sandbox-secret-key

            """
        if let rateLimit { text += "    rate_limit: \(rateLimit)\n" }
        text += """
            finan:
              master_accounts:
                main: { account_number: "0933450210" }
              bank_accounts:

            """
        text.reserveCapacity(text.utf8.count + accounts * 64)
        for index in 1...max(accounts, 1) where accounts > 0 {
            text += "    a\(index): { master: main, account_name: ACCOUNT \(index) }\n"
        }
        try text.write(to: manifestFile, atomically: true, encoding: .utf8)
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

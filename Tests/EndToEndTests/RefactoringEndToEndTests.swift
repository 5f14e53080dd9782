import Foundation
import Testing

/// Refactoring with the built binary on the embedded sandbox, as docs/refactoring.md tells it: a rename by `moved:`
/// and one by `state mv` create nothing at the bank, a replace says what stays at the bank before apply,
/// `apply --refresh-only` accepts drift without a write, `state rm` forgets without deleting. Every output line the
/// page shows is checked against what the commands printed here.
struct RefactoringEndToEndTests {
    static func manifest(_ accounts: [(String, String)], moved: String = "") -> String {
        sandboxFinanManifest(accounts.map { (name: $0.0, accountName: $0.1) }, tail: moved)
    }

    /// The names of the accounts the sandbox bank holds, sorted.
    static func accountsAtTheBank(_ folder: URL) throws -> [String] {
        let data = try Data(contentsOf: folder.appendingPathComponent(".provision/sandbox/finan.json"))
        let accounts = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["accounts"] as? [[String: Any]] ?? []
        return accounts.compactMap { $0["account_name"] as? String }.sorted()
    }

    @Test func renamesCreateNothingReplacesSayWhatStaysAndDriftIsAccepted() throws {
        let binary = try ProvisionBinary()
        let folder = try folderWithManifest(Self.manifest([("accounting", "KE TOAN"), ("payroll", "LUONG")]))
        defer { try? FileManager.default.removeItem(at: folder) }
        var printed = ""
        func run(_ arguments: [String], expect status: Int32) throws {
            let result = try binary.run(arguments, in: folder)
            #expect(result.status == status, "\(arguments): \(result.output)\(result.errors)")
            printed += result.output + result.errors
        }
        func write(_ text: String) throws { try text.write(to: folder.appendingPathComponent("bank.yaml"), atomically: true, encoding: .utf8) }

        try run(["apply", "--auto-approve", "."], expect: 0)
        let moved = "moved:\n  - { from: finan.bank_accounts.payroll, to: finan.bank_accounts.payroll-team }\n"
        try write(Self.manifest([("accounting", "KE TOAN"), ("payroll-team", "LUONG")], moved: moved))
        try run(["plan", "--detailed-exitcode", "."], expect: 2)
        try run(["apply", "--auto-approve", "."], expect: 0)
        try run(["plan", "--detailed-exitcode", "."], expect: 0)

        try write(Self.manifest([("accounts-team", "KE TOAN"), ("payroll-team", "LUONG")], moved: moved))
        try run(["state", "mv", "finan.bank_accounts.accounting", "finan.bank_accounts.accounts-team", "."], expect: 0)
        try run(["plan", "--detailed-exitcode", "."], expect: 0)
        #expect(try Self.accountsAtTheBank(folder) == ["KE TOAN", "LUONG"], "no account was created by a rename")

        try write(Self.manifest([("accounts-team", "KE TOAN 2"), ("payroll-team", "LUONG")], moved: moved))
        try run(["plan", "."], expect: 0)
        #expect(printed.contains("1. Finan One has no API to close bank account"), "the plan names the steps to close the old account")
        let json = try binary.run(["plan", "--format", "json", "."], in: folder)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let replace = try #require((document["resource_changes"] as? [[String: Any]])?.first { $0["action"] as? String == "replace" })
        #expect(replace["replacement"] as? String == "create_then_forget")
        #expect((replace["reasons"] as? [[String: Any]])?.first?["code"] as? String == "forces_replacement")
        try write(Self.manifest([("accounts-team", "KE TOAN"), ("payroll-team", "LUONG")], moved: moved))

        try Self.recordInState(folder, address: "finan.bank_accounts.payroll-team", name: "LUONG CU")
        try run(["drift", "."], expect: 2)
        try run(["apply", "--refresh-only", "--auto-approve", "."], expect: 0)
        try run(["drift", "."], expect: 0)
        #expect(try Self.accountsAtTheBank(folder) == ["KE TOAN", "LUONG"], "refresh-only wrote nothing at the bank")

        try run(["state", "rm", "finan.bank_accounts.payroll-team", "."], expect: 0)
        try run(["plan", "."], expect: 0)
        try Self.expectTheDocsTranscripts(in: printed)
    }

    /// A change at the bank as drift sees it: state's last-applied value of the account's name differs from the bank's.
    static func recordInState(_ folder: URL, address: String, name: String) throws {
        let file = folder.appendingPathComponent(".provision/state.json")
        var state = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var resources = try #require(state["resources"] as? [String: Any])
        var entry = try #require(resources[address] as? [String: Any])
        var attributes = try #require(entry["attributes"] as? [String: Any])
        attributes["account_name"] = name
        entry["attributes"] = attributes
        resources[address] = entry
        state["resources"] = resources
        try JSONSerialization.data(withJSONObject: state).write(to: file)
    }

    /// Every output line of docs/refactoring.md's console blocks was printed; `…` stands for ids and times.
    static func expectTheDocsTranscripts(in printed: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let page = try String(contentsOf: root.appendingPathComponent("docs/refactoring.md"), encoding: .utf8)
        let blocks = page.components(separatedBy: "```console\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let lines = blocks.flatMap { $0.split(separator: "\n").map(String.init) }.filter { !$0.hasPrefix("$ ") }
        #expect(lines.count > 10)
        let output = printed.split(separator: "\n").map(String.init)
        for line in lines {
            let parts = line.components(separatedBy: "…")
            let found = output.contains { printedLine in
                var rest = Substring(printedLine)
                for part in parts {
                    guard let range = rest.range(of: part) else { return false }
                    rest = rest[range.upperBound...]
                }
                return true
            }
            #expect(found, "docs/refactoring.md shows a line no command printed: \(line)")
        }
    }
}

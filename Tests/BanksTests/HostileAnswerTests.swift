@testable import Banks
import Foundation
import PlanModel
import Reconciler
import Testing

/// Answers and files that try to leak or corrupt: echoed signatures, unknown state formats, abandoned temp files.
struct HostileAnswerTests {
    @Test func aSignatureTheBankEchoesInItsErrorIsRedacted() async throws {
        let transport = RecordingTransport { call in
            let signature = call.headers.first { $0.name == "x-signature" }?.value ?? ""
            return RecordingTransport.json(401, #"{"code":104000,"message":{"error":"signature \#(signature) does not match"}}"#)
        }
        let provider = FinanOne.provider(name: "finan", baseURL: "https://bank.example/open", clientID: "client-1", secretKey: Sensitive("k"), transport: transport)
        let master = Resource(
            address: ResourceAddress(instance: "finan", kind: "master_accounts", name: "m"), providerType: "finan-one", capability: .observed,
            attributes: ["account_number": .string("1")], location: SourceLocation(file: "b.yaml", line: 1, column: 1))
        await #expect {
            _ = try await provider.refresh([master], state: [:])
        } throws: { error in
            let signature = transport.recorded.first?.headers.first { $0.name == "x-signature" }?.value ?? "?"
            return !"\(error)".contains(signature) && "\(error)".contains("signature (redacted) does not match")
        }
    }

    @Test func aStateWithAnUnknownFormatIsRefusedNamingTheVersion() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("provision-format-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try #"{"format_version":2,"lineage":"l","serial":3,"resources":{},"history":[]}"#.write(
            to: folder.appendingPathComponent("state.json"), atomically: true, encoding: .utf8)
        #expect {
            _ = try StateStore(directory: folder).load()
        } throws: { error in
            "\(error)".contains("format_version 2") && "\(error)".contains("reads only 1")
        }
    }

    @Test func aTempFileAKilledWriterLeftIsRemovedByTheNextSave() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("provision-tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let abandoned = folder.appendingPathComponent(".state.json.2147483646.tmp")
        try Data("{".utf8).write(to: abandoned)
        var state = State()
        try StateStore(directory: folder).save(&state)
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
    }
}

struct SePayExpiryTests {
    @Test func bankHubsLocalExpiryIsShownInUTCWithItsZone() {
        #expect(SePayBankHubMapping.expiry("2026-12-01 17:00:00") == "2026-12-01T10:00:00Z")
        #expect(SePayBankHubMapping.expiry("soon") == "soon")
    }
}

import Foundation
import PlanModel
import Reconciler
import Testing

/// What state may hold: no value read from `${env:}` or `${file:}`, and no serial that no save can follow.
struct StateBoundaryTests {
    @Test(arguments: [Int.max, -1])
    func aSerialOutOfRangeIsAClearErrorInsteadOfACrash(_ serial: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("provision-serial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"format_version":1,"lineage":"l","serial":\#(serial),"resources":{}}"#.write(
            to: folder.appendingPathComponent("state.json"), atomically: true, encoding: .utf8)
        #expect {
            _ = try StateStore(directory: folder).load()
        } throws: { error in
            "\(error)".contains("serial \(serial) is out of range") && "\(error)".contains("edited by hand")
        }
    }

    @Test func aValueReadFromAVariableIsNotRecordedInState() throws {
        let entry = StateEntry(remoteID: "b1", attributes: [
            "account_name": .sensitive(Sensitive("planted-in-state-4711", shownAs: "${env:NAME}")), "master": .string("main"),
        ])
        #expect(entry.attributes == ["master": .string("main")])
        let text = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        #expect(!text.contains("planted-in-state-4711") && !text.contains("account_name"), "\(text)")
    }
}

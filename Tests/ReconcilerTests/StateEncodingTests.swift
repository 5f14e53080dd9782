import Foundation
import PlanModel
import Reconciler
import Testing

/// `state.json` is written a part at a time; what it holds, byte for byte, is what `JSONEncoder` writes for the whole state.
struct StateEncodingTests {
    /// 2,500 entries (more than one part) of every shape: nested values, empty attributes, no id, protected, confirmed.
    static func largeState() -> State {
        var state = State(lineage: "lineage-1", serial: 41)
        for index in 1...2500 {
            let address = ResourceAddress(instance: index % 3 == 0 ? "sepay" : "finan", kind: "bank_accounts", name: "a\(index)")
            var attributes: [String: Value] = ["account_name": .string("TÀI KHOẢN \(index) / \"quoted\"")]
            if index % 5 == 0 { attributes = [:] }
            if index % 7 == 0 { attributes["limits"] = .object(["daily": .integer(index), "tags": .list([.boolean(true), .string("x")]), "empty": .object([:])]) }
            state[address] = StateEntry(
                remoteID: index % 11 == 0 ? nil : "id-\(index)", attributes: attributes,
                confirmed: index % 13 == 0 ? "digest-\(index)" : nil, protected: index % 17 == 0)
        }
        state.gates = ["review": Confirmation(by: "an", at: "2024-01-15T10:30:00Z", note: "TICKET-1")]
        state.lastApply = ApplyRecord(converged: true, at: "2024-01-15T10:30:00Z", digests: ["finan.bank_accounts.a1": "d1"])
        return state
    }

    @Test func aLargeStateIsWrittenAsJSONEncoderWritesIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("state-encoding-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StateStore(directory: folder)
        var state = Self.largeState()
        try store.save(&state)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let written = try Data(contentsOf: store.file)
        #expect(written == (try encoder.encode(state)))
        #expect(try store.load() == state)
    }

    /// A manual step's confirmation is kept out of line; setting, clearing and reading it back through the file keep
    /// what was set, and an entry without one equals a fresh entry.
    @Test func aConfirmationHeldOutOfLineReadsBackAsItWasSet() throws {
        var entry = StateEntry(remoteID: "id-1", attributes: ["a": .string("b")], confirmed: "digest-1")
        entry.confirmation = Confirmation(by: "an", at: "2024-01-15T10:30:00Z", note: nil)
        #expect(entry.confirmed == "digest-1" && entry.confirmation?.by == "an")
        let decoded = try JSONDecoder().decode(StateEntry.self, from: JSONEncoder().encode(entry))
        #expect(decoded == entry && decoded.confirmation?.at == "2024-01-15T10:30:00Z")
        entry.confirmed = nil
        #expect(entry.confirmation?.by == "an" && entry.confirmed == nil, "clearing one keeps the other")
        entry.confirmation = nil
        #expect(entry == StateEntry(remoteID: "id-1", attributes: ["a": .string("b")]))
    }
}

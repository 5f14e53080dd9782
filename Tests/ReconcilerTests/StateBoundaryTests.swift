import Foundation
import PlanModel
import Reconciler
import Testing

/// What state may hold: no value read from `${env:}` or `${file:}`.
struct StateBoundaryTests {
    @Test func aValueReadFromAVariableIsNotRecordedInState() throws {
        let entry = StateEntry(remoteID: "b1", attributes: [
            "account_name": .sensitive(Sensitive("planted-in-state-4711", shownAs: "${env:NAME}")), "master": .string("main"),
        ])
        #expect(entry.attributes == ["master": .string("main")])
        let text = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        #expect(!text.contains("planted-in-state-4711") && !text.contains("account_name"), "\(text)")
    }
}

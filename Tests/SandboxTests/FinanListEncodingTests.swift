import Foundation
import Testing

@testable import Sandbox

/// A long list is encoded a part at a time; the answer is the text one encoding of the whole list writes.
struct FinanListEncodingTests {
    @Test func aLongListIsWrittenAsOneEncodingWritesIt() {
        let items = (1...2500).map {
            FinanSimulator.Listed(
                accountID: "acc-\($0)", accountNumber: "VQR\($0)", accountName: "TÀI KHOẢN \($0) / \"x\"", bankCode: "MB",
                createdAt: "2024-01-15T10:30:00Z")
        }
        let reply = FinanSimulator.Reply(SimulatedRequest(method: "GET", path: "/api/v1/bank-accounts", rawQuery: nil, headers: [:], body: []))
        let parts = reply.success(code: 102000, list: items)
        let whole = reply.success(code: 102000, data: items)
        let withoutRequestID = { (body: [UInt8]) in
            String(decoding: body, as: UTF8.self).replacing(/"request_id":"[0-9a-f]+"/, with: "")
        }
        #expect(parts.status == whole.status)
        #expect(withoutRequestID(parts.body) == withoutRequestID(whole.body))
        #expect(withoutRequestID(parts.body).contains(#""account_name":"TÀI KHOẢN 2500 / \"x\"""#))
    }
}

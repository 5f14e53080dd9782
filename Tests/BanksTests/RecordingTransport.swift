import Banks
import PlanModel
import Foundation
import Reconciler
import Synchronization

/// A transport that answers from a closure and keeps every call it was given.
final class RecordingTransport: HTTPTransport {
    let calls = Mutex<[HTTPCall]>([])
    let answer: @Sendable (HTTPCall) throws -> HTTPReply

    init(answer: @escaping @Sendable (HTTPCall) throws -> HTTPReply) {
        self.answer = answer
    }

    func send(_ call: HTTPCall) async throws -> HTTPReply {
        let call = call
        calls.withLock { $0.append(call) }
        return try answer(call)
    }

    var recorded: [HTTPCall] { calls.withLock { $0 } }

    static func json(_ status: Int, _ text: String) -> HTTPReply {
        HTTPReply(status: status, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
    }
}


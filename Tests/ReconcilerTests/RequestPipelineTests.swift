import Foundation
import Reconciler
import Synchronization
import Testing

/// The order of the request pipeline's layers.
struct RequestPipelineTests {
    /// The task each side ran on, by its hash.
    final class Tasks: Sendable {
        let signed = Mutex<Int?>(nil)
        let sent = Mutex<Int?>(nil)
    }

    struct TaskRecordingSigner: RequestSigner {
        let tasks: Tasks
        func sign(_ call: HTTPCall) throws -> HTTPCall {
            tasks.signed.withLock { $0 = withUnsafeCurrentTask { $0?.hashValue } }
            return call
        }
    }

    struct TaskRecordingWire: HTTPTransport {
        let tasks: Tasks
        func send(_ call: HTTPCall) async throws -> HTTPReply {
            tasks.sent.withLock { $0 = withUnsafeCurrentTask { $0?.hashValue } }
            return HTTPReply(status: 200, body: Array("{}".utf8))
        }
    }

    /// A signature is made on the task that sends it, with no task between: a busy process cannot delay a signed
    /// request (a bank refuses a timestamp more than its window old, Finan One's is 30 s) after it was signed.
    @Test func theSignedCallGoesOutOnTheTaskThatSignedIt() async throws {
        let tasks = Tasks()
        let pipeline = RequestPipeline(wire: TaskRecordingWire(tasks: tasks), deadline: .seconds(5))
        _ = try await pipeline.transport(signer: TaskRecordingSigner(tasks: tasks)).send(HTTPCall(method: "GET", url: "https://bank.example/x"))
        let signed = try #require(tasks.signed.withLock { $0 })
        let sent = try #require(tasks.sent.withLock { $0 })
        #expect(signed == sent, "the wire ran on another task than the signer: a wait sat between them")
    }
}

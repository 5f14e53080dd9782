import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Reconciler
import ServiceLifecycle
import Synchronization
import Testing

/// The production transport against servers that misbehave on purpose, over real loopback HTTP:
/// a redirect to another origin, a body that trickles, a body too big.
@Suite(.timeLimit(.minutes(1)))
struct HostileServerTests {
    /// Counts requests, shared with a route.
    final class Counter: Sendable {
        let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    /// A Hummingbird server on a free port for one test.
    final class Server: Sendable {
        let port: Int
        let group: ServiceGroup
        let task: Task<Void, any Error>

        init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
            self.port = port
            self.group = group
            self.task = task
        }

        static func start(_ routes: (Router<BasicRequestContext>) -> Void) async throws -> Server {
            let router = Router()
            routes(router)
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            var logger = Logger(label: "hostile")
            logger.logLevel = .critical
            let app = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
            let task = Task { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            return Server(port: port, group: group, task: task)
        }

        func stop() async {
            await group.triggerGracefulShutdown()
            _ = await task.result
        }
    }

    func api(_ port: Int, deadline: Duration = .seconds(30)) -> BankAPI {
        struct Plain: ErrorReader {
            func fault(in reply: HTTPReply) -> BankFault? { nil }
        }
        let pipeline = RequestPipeline(wire: AsyncHTTPTransport(), deadline: deadline)
        return BankAPI(bank: "Test Bank", baseURL: "http://127.0.0.1:\(port)", transport: pipeline.transport(), errors: Plain())
    }

    @Test func aRedirectToAnotherOriginIsNotFollowedAndNoCredentialLeavesForIt() async throws {
        let stolen = Counter()
        let elsewhere = try await Server.start { router in
            router.post("steal") { request, _ in
                if request.headers[HTTPField.Name("x-signature")!] != nil { stolen.add() }
                return "taken"
            }
        }
        let bank = try await Server.start { router in
            router.post("accounts") { _, _ in
                Response(status: .temporaryRedirect, headers: [.location: "http://127.0.0.1:\(elsewhere.port)/steal"])
            }
        }
        defer { Task { await bank.stop(); await elsewhere.stop() } }
        await #expect {
            _ = try await api(bank.port).send("POST", "/accounts", headers: [("x-signature", "secret-signature")], body: Array("{}".utf8))
        } throws: { error in
            guard let error = error as? ProviderError, case .redirected(let location) = error.failure else { return false }
            return location == "http://127.0.0.1:\(elsewhere.port)/steal" && "\(error)".contains("not followed")
        }
        #expect(stolen.value == 0)
        let followed = try await api(elsewhere.port).send("POST", "/steal")
        #expect(followed.status == 200, "the other server works; it simply never heard from the redirected call")
    }

    @Test func aBodyThatTricklesFailsAtTheDeadlineInsteadOfHoldingTheCall() async throws {
        let bank = try await Server.start { router in
            router.get("slow") { _, _ in
                Response(status: .ok, body: ResponseBody { writer in
                    for _ in 0..<400 {
                        try await writer.write(ByteBuffer(string: "x"))
                        try await Task.sleep(for: .seconds(1))
                    }
                    try await writer.finish(nil)
                })
            }
        }
        defer { Task { await bank.stop() } }
        await #expect {
            _ = try await api(bank.port, deadline: .seconds(1)).send("GET", "/slow")
        } throws: { error in
            guard let error = error as? ProviderError, case .unreachable(let reason) = error.failure else { return false }
            return reason.contains("within 1 s") && !error.mayHavePartlyApplied
        }
    }

    /// A bank's list of every account of a 100,000-resource manifest is about 23 MB: the limit grows with the manifest.
    @Test func theSizeLimitOfALargeManifestTakesItsListInOneAnswer() async throws {
        let list = String(repeating: "y", count: 24 << 20)
        let bank = try await Server.start { router in
            router.get("list") { _, _ in list }
        }
        defer { Task { await bank.stop() } }
        let transport = AsyncHTTPTransport(maxResponseBytes: AsyncHTTPTransport.responseLimit(resources: 100_000))
        let reply = try await transport.send(HTTPCall(method: "GET", url: "http://127.0.0.1:\(bank.port)/list", headers: [], body: nil))
        #expect(reply.status == 200 && reply.body.count == 24 << 20)
        #expect(AsyncHTTPTransport.responseLimit(resources: 10) == 16 << 20)
    }

    @Test func anAnswerOverTheSizeLimitFailsOnTheFirstAttempt() async throws {
        let requests = Counter()
        let big = String(repeating: "y", count: (16 << 20) + 1)
        let bank = try await Server.start { router in
            router.get("big") { _, _ in
                requests.add()
                return big
            }
        }
        defer { Task { await bank.stop() } }
        await #expect {
            _ = try await api(bank.port).send("GET", "/big")
        } throws: { error in
            guard let error = error as? ProviderError, case .unreachable(let reason) = error.failure else { return false }
            return reason.contains("larger than 16 MB") && !reason.contains("NIOTooManyBytesError")
        }
        #expect(requests.value == 1, "a GET is retried on network errors, but never for a body that is too big")
    }
}

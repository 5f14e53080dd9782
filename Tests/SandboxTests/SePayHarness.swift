import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Sandbox
import ServiceLifecycle
import Testing

/// A clock the tests move by hand; the sandbox reads it through `SandboxConfiguration.now`.
final class SePayTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_768_312_100)) {
        current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}

/// One answer from the SePay simulator.
struct SePayReply {
    let status: Int
    let headers: HTTPHeaders
    /// The body's bytes as received.
    let body: [UInt8]

    var raw: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [String: Any] ?? [:]
    }

    var data: [String: Any]? { json["data"] as? [String: Any] }
    var list: [[String: Any]] { json["data"] as? [[String: Any]] ?? [] }
    var meta: [String: Any] { json["meta"] as? [String: Any] ?? [:] }
    var errors: [String: Any]? { json["errors"] as? [String: Any] }
    func header(_ name: String) -> String? { headers.first(name: name) }

    /// Whether the body is the same JSON as `expected` (key order aside).
    func isJSON(_ expected: String) -> Bool {
        func canonical(_ text: String) -> Data? {
            guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return nil }
            return try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        }
        guard let mine = canonical(raw) else { return false }
        return mine == canonical(expected)
    }
}

/// A sandbox with its own data folder and a hand-moved clock, driven in process (`inProcess`) or on a port (`with`).
///
/// Its calls are a small SePay Bank Hub client written for these tests from `providers/sepay-bankhub.md` and its
/// seed page alone.
struct SePayHarness: Sendable {
    static let clientID = "sandbox-client-id"
    static let clientSecret = "sandbox-client-secret"
    static let tinyRetries: [Duration] = Array(repeating: .milliseconds(1), count: 7)
    static let mount = "/sepay"

    let transport: SandboxTransport
    let directory: URL
    let clock: SePayTestClock

    /// `http://HOST/sepay`, as the sandbox sees itself addressed.
    var root: String { transport.origin + Self.mount }

    /// The started sandbox, for its webhook deliveries; only a harness on a port (`with`) has one.
    var sandbox: RunningSandbox {
        guard case .port(let sandbox) = transport else {
            preconditionFailure("an in-process harness has no running sandbox; use SePayHarness.with for webhook deliveries")
        }
        return sandbox
    }

    /// Runs `body` against a fresh sandbox on a free port, then stops it; the data folder is removed unless the caller owns it.
    static func with<T>(
        directory: URL? = nil, seed: String? = nil, clock: SePayTestClock = SePayTestClock(), tokenTTL: Int = 60000,
        linkTokenTTL: TimeInterval = 1800, retryDelays: [Duration] = tinyRetries,
        _ body: (SePayHarness) async throws -> T
    ) async throws -> T {
        try await SandboxTransport.inFolder(directory) { folder in
            let configuration = Self.configuration(folder, seed, clock, tokenTTL, linkTokenTTL, retryDelays)
            return try await SandboxTransport.onPort(configuration) { transport in
                try await body(SePayHarness(transport: transport, directory: folder, clock: clock))
            }
        }
    }

    /// Runs `body` against a fresh sandbox driven in process through its router, without binding a port.
    static func inProcess<T>(
        directory: URL? = nil, seed: String? = nil, clock: SePayTestClock = SePayTestClock(), tokenTTL: Int = 60000,
        linkTokenTTL: TimeInterval = 1800, _ body: @Sendable (SePayHarness) async throws -> T
    ) async throws -> T {
        try await SandboxTransport.inFolder(directory) { folder in
            let configuration = Self.configuration(folder, seed, clock, tokenTTL, linkTokenTTL, tinyRetries)
            return try await SandboxTransport.inProcess(configuration) { transport in
                try await body(SePayHarness(transport: transport, directory: folder, clock: clock))
            }
        }
    }

    static func configuration(
        _ folder: URL, _ seed: String?, _ clock: SePayTestClock, _ tokenTTL: Int, _ linkTokenTTL: TimeInterval, _ retryDelays: [Duration]
    ) -> SandboxConfiguration {
        SandboxConfiguration(
            port: 0, dataDirectory: folder.path, seedFile: seed, sepayTokenTTL: tokenTTL, sepayLinkTokenTTL: linkTokenTTL,
            sepayWebhookRetryDelays: retryDelays, now: { clock.now })
    }

    /// Sends a request below `/sepay`; `json` sets a JSON body, `form` a form-encoded one.
    func call(
        _ method: HTTPMethod, _ path: String, query: String? = nil, bearer: String? = nil, json: String? = nil, form: String? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> SePayReply {
        let contentType = json.map { _ in "application/json" } ?? form.map { _ in "application/x-www-form-urlencoded" }
        return try await send(
            method, path, query: query, bearer: bearer, contentType: contentType, body: Array((json ?? form ?? "").utf8),
            headers: extra)
    }

    /// Sends `body` as it is below `/sepay`; an empty body is sent as none; `headers` replace those of the same name.
    func send(
        _ method: HTTPMethod, _ path: String, query: String? = nil, bearer: String? = nil, contentType: String? = nil,
        body: [UInt8] = [], headers extra: [(String, String)] = []
    ) async throws -> SePayReply {
        var headers: [(String, String)] = []
        if let bearer { headers.append(("Authorization", "Bearer \(bearer)")) }
        if let contentType { headers.append(("Content-Type", contentType)) }
        for (name, value) in extra {
            headers.removeAll { $0.0.lowercased() == name.lowercased() }
            headers.append((name, value))
        }
        let answer = try await transport.send(
            method, Self.mount + path + (query.map { "?" + $0 } ?? ""), headers: headers,
            body: body.isEmpty ? nil : ByteBuffer(bytes: body))
        return SePayReply(status: answer.status, headers: answer.headers, body: Array(buffer: answer.body))
    }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    /// `POST /v1/token` with the default sandbox client; returns the access token.
    func token(id: String = Self.clientID, secret: String = Self.clientSecret) async throws -> String {
        let reply = try await call(.POST, "/v1/token", headers: [("Authorization", Self.basic(id, secret))])
        #expect(reply.status == 201, "\(reply.raw)")
        return try #require(reply.json["access_token"] as? String, "\(reply.raw)")
    }

    /// Creates a company and returns its xid.
    func company(_ name: String, status: String = "Active", bearer: String) async throws -> String {
        let reply = try await call(.POST, "/v1/company/create", bearer: bearer, json: Self.object(["full_name": name, "status": status]))
        #expect(reply.status == 201, "\(reply.raw)")
        return try #require(reply.data?["xid"] as? String, "\(reply.raw)")
    }

    /// Creates a link token; returns the whole answer.
    func linkToken(
        company: String, purpose: String = "LINK_BANK_ACCOUNT", extra: [String: Any] = [:], bearer: String
    ) async throws -> SePayReply {
        var fields: [String: Any] = ["company_xid": company, "purpose": purpose]
        fields.merge(extra) { $1 }
        return try await call(.POST, "/v1/link-token/create", bearer: bearer, json: Self.object(fields))
    }

    /// Completes the hosted flow of a link token in one call, as JSON; returns the answer.
    func complete(
        _ linkToken: String, bank: String = "MBBank", number: String = "0123456789", holder: String = "NGUYEN VAN A", otp: String = "12345678"
    ) async throws -> SePayReply {
        try await call(
            .POST, "/hosted/\(linkToken)/complete",
            json: Self.object(["bank": bank, "account_number": number, "account_holder_name": holder, "otp": otp]))
    }

    /// Creates a link token for `company` and completes it; returns the new bank account's xid.
    func linkAccount(company: String, number: String = "0123456789", bearer: String) async throws -> String {
        let created = try await linkToken(company: company, bearer: bearer)
        #expect(created.status == 201, "\(created.raw)")
        let token = try #require(created.json["link_token"] as? String)
        let done = try await complete(token, number: number)
        #expect(done.status == 200, "\(done.raw)")
        return try #require(done.data?["bank_account_xid"] as? String, "\(done.raw)")
    }

    static func object(_ fields: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
    }

    static func isTimestamp(_ value: Any?) -> Bool {
        (value as? String)?.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/) != nil
    }
}

/// An event a test receiver got: the `X-Secret-Key` header and the body.
struct ReceivedWebhook: Sendable {
    let secret: String?
    let contentType: String?
    let raw: String

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [String: Any] ?? [:] }
    var event: String? { json["event"] as? String }
    var metadata: [String: Any] { json["metadata"] as? [String: Any] ?? [:] }
}

actor ReceivedWebhooks {
    private(set) var items: [ReceivedWebhook] = []

    func add(_ item: ReceivedWebhook) { items.append(item) }
}

/// A small Hummingbird server on a free port that records what `POST /hook` receives and answers `status`.
struct WebhookReceiver {
    let port: Int
    let received: ReceivedWebhooks
    let group: ServiceGroup
    let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)/hook" }

    static func start(status: HTTPResponse.Status = .ok) async throws -> WebhookReceiver {
        let received = ReceivedWebhooks()
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            await received.add(ReceivedWebhook(
                secret: request.headers[HTTPField.Name("X-Secret-Key")!], contentType: request.headers[.contentType], raw: String(buffer: body)))
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"success":true}"#)))
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0); continuation.finish() }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return WebhookReceiver(port: port, received: received, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

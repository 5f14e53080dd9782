import AsyncHTTPClient
import Foundation
import Hummingbird

/// One finished SePay webhook delivery: answered by the receiver (any HTTP status), or given up after the last retry.
public struct SePayWebhookDelivery: Sendable {
    /// The event name, e.g. `BANK_ACCOUNT_LINKED`.
    public var event: String
    /// The event's `xid`, unique per event.
    public var eventXID: String
    public var url: String
    /// The receiver's HTTP status; nil when no attempt reached it.
    public var status: Int?
    /// Attempts made, 1 plus the retries.
    public var attempts: Int
    /// Why the last attempt failed, when none reached the receiver.
    public var error: String?
    /// The JSON body sent.
    public var payload: String
}

extension RunningSandbox {
    /// Delivers the SePay simulator's webhook events.
    var sepayWebhooks: SePayWebhookDispatcher? {
        application.simulators.lazy.compactMap { ($0 as? SePaySimulator)?.webhooks }.first
    }

    /// SePay webhook deliveries finished so far, in the order they finished.
    public func sepayWebhookDeliveries() async -> [SePayWebhookDelivery] {
        await sepayWebhooks?.finished ?? []
    }

    /// Waits until at least `count` SePay webhook deliveries have finished (or the sandbox stops); returns them all.
    public func waitForSePayWebhookDeliveries(count: Int) async -> [SePayWebhookDelivery] {
        await sepayWebhooks?.wait(forCount: count) ?? []
    }

    /// Waits until no SePay webhook delivery is in flight or waiting to retry.
    public func waitForSePayWebhooksIdle() async {
        await sepayWebhooks?.waitUntilIdle()
    }
}

/// Delivers SePay events to the merchant's webhook, as SePay does.
///
/// Each is a POST of JSON with `X-Secret-Key`, retried only when the receiver cannot be reached, after each of
/// `retryDelays` in turn.
/// The events of one API call go out in order, one after another; separate calls deliver concurrently.
actor SePayWebhookDispatcher {
    let retryDelays: [Duration]
    private(set) var finished: [SePayWebhookDelivery] = []
    private var batches: [UUID: Task<Void, Never>] = [:]
    private var countWaiters: [(count: Int, continuation: CheckedContinuation<[SePayWebhookDelivery], Never>)] = []
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    init(retryDelays: [Duration]) {
        self.retryDelays = retryDelays
    }

    /// Queues the events `webhook` wants (it is active and `allow_events` names them).
    func enqueue(_ events: [SePayWorld.Event], to webhook: SePayWorld.Webhook) {
        let wanted = events.filter { SePayWorld.allows(webhook, event: $0.name) }
        guard !wanted.isEmpty, !closed else { return }
        let id = UUID()
        let delays = retryDelays
        batches[id] = Task {
            for event in wanted {
                let delivery = await Self.deliver(event, to: webhook, retryDelays: delays)
                self.record(delivery)
            }
            self.batchFinished(id)
        }
    }

    func wait(forCount count: Int) async -> [SePayWebhookDelivery] {
        if finished.count >= count || closed { return finished }
        return await withCheckedContinuation { countWaiters.append((count, $0)) }
    }

    func waitUntilIdle() async {
        if batches.isEmpty || closed { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    /// Cancels deliveries in flight or waiting to retry, and releases every waiter.
    func shutdown() async {
        closed = true
        let running = Array(batches.values)
        for task in running { task.cancel() }
        for task in running { await task.value }
        for waiter in countWaiters { waiter.continuation.resume(returning: finished) }
        countWaiters = []
        for waiter in idleWaiters { waiter.resume() }
        idleWaiters = []
    }

    private func record(_ delivery: SePayWebhookDelivery) {
        finished.append(delivery)
        let ready = countWaiters.filter { $0.count <= finished.count }
        countWaiters.removeAll { $0.count <= finished.count }
        for waiter in ready { waiter.continuation.resume(returning: finished) }
    }

    private func batchFinished(_ id: UUID) {
        batches[id] = nil
        guard batches.isEmpty else { return }
        for waiter in idleWaiters { waiter.resume() }
        idleWaiters = []
    }

    /// The client deliveries use, for the life of the process.
    ///
    /// SePay's timeouts (connect 5 s, response 8 s), no redirects followed, and a refused connection reported at
    /// once instead of retried inside the client.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(8)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// The body SePay posts: `{"timestamp","xid","version":"1.0","event","metadata"}`.
    static func payload(_ event: SePayWorld.Event) -> [UInt8] {
        let body: SePayJSON = [
            "timestamp": .int(event.timestamp), "xid": .string(event.xid), "version": "1.0", "event": .string(event.name),
            "metadata": event.metadata,
        ]
        return body.encoded()
    }

    /// Posts the event, retrying only when the receiver cannot be reached.
    ///
    /// The sandbox sends only to loopback addresses (this machine); an event for any other host is recorded as not
    /// sent, so no traffic leaves it.
    static func deliver(_ event: SePayWorld.Event, to webhook: SePayWorld.Webhook, retryDelays: [Duration]) async -> SePayWebhookDelivery {
        let body = payload(event)
        var host = URLComponents(string: webhook.url)?.host?.lowercased() ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard SePayWorld.isLoopback(host) else {
            return SePayWebhookDelivery(
                event: event.name, eventXID: event.xid, url: webhook.url, status: nil, attempts: 0,
                error: "not sent: the sandbox delivers webhooks only to this machine (127.0.0.1, localhost, ::1)",
                payload: String(decoding: body, as: UTF8.self))
        }
        var attempts = 0
        var failure = ""
        while true {
            attempts += 1
            var request = HTTPClientRequest(url: webhook.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-Secret-Key", value: webhook.secretKey)
            request.headers.add(name: "User-Agent", value: "provision-sandbox SePay Bank Hub webhook")
            request.body = .bytes(ByteBuffer(bytes: body))
            do {
                let response = try await Self.client.execute(request, timeout: .seconds(13))
                _ = try? await response.body.collect(upTo: 1 << 20)
                return SePayWebhookDelivery(
                    event: event.name, eventXID: event.xid, url: webhook.url, status: Int(response.status.code), attempts: attempts,
                    error: nil, payload: String(decoding: body, as: UTF8.self))
            } catch {
                failure = "\(error)"
            }
            guard attempts <= retryDelays.count, !Task.isCancelled else { break }
            do {
                try await Task.sleep(for: retryDelays[attempts - 1])
            } catch {
                break
            }
        }
        return SePayWebhookDelivery(
            event: event.name, eventXID: event.xid, url: webhook.url, status: nil, attempts: attempts, error: failure,
            payload: String(decoding: body, as: UTF8.self))
    }
}

import Foundation
import Reconciler
import Synchronization

/// The transport under the engine's pipeline, recording when each request went out and how many were out at once.
final class WireRecorder: HTTPTransport {
    struct Record {
        var departures: [ContinuousClock.Instant] = []
        var inFlight = 0
        var maxInFlight = 0
    }

    let inner: any HTTPTransport
    let record = Mutex(Record())

    init(_ inner: any HTTPTransport) {
        self.inner = inner
    }

    var maxInFlight: Int { record.withLock { $0.maxInFlight } }

    func send(_ call: HTTPCall) async throws -> HTTPReply {
        let now = ContinuousClock.now
        record.withLock {
            $0.departures.append(now)
            $0.inFlight += 1
            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
        }
        defer { record.withLock { $0.inFlight -= 1 } }
        return try await inner.send(call)
    }

    /// How many requests a bank allowing `rate` a second would have refused: those beyond `rate` in the second before them.
    func beyond(rate: Int) -> Int {
        let times = record.withLock { $0.departures }.sorted()
        var refused = 0
        var begin = 0
        for (index, time) in times.enumerated() {
            while time - times[begin] >= .seconds(1) { begin += 1 }
            if index - begin + 1 > rate { refused += 1 }
        }
        return refused
    }
}

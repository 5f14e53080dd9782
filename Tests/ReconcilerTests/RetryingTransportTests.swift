import Foundation
import Reconciler
import Synchronization
import Testing

/// Retries only what is safe to repeat, honours Retry-After, and takes a rate-limit token before every attempt.
struct RetryingTransportTests {
    /// Answers from a script, one entry per attempt; the last entry repeats.
    final class ScriptedTransport: HTTPTransport {
        enum Step: Sendable {
            case reply(Int, [(name: String, value: String)])
            case fail(sent: Bool)
        }

        let script: [Step]
        let attempts = Mutex(0)

        init(_ script: [Step]) {
            self.script = script
        }

        var count: Int { attempts.withLock { $0 } }

        func send(_ call: HTTPCall) async throws -> HTTPReply {
            let index = attempts.withLock { attempts in
                attempts += 1
                return attempts - 1
            }
            switch script[min(index, script.count - 1)] {
            case .reply(let status, let headers):
                return HTTPReply(status: status, headers: headers, body: [])
            case .fail(let sent):
                throw TransportFailure(reason: sent ? "read timeout" : "connection refused", requestMayHaveBeenSent: sent)
            }
        }
    }

    /// Records the waits asked for and returns at once.
    final class Sleeper: Sendable {
        let waits = Mutex<[Duration]>([])

        var recorded: [Duration] { waits.withLock { $0 } }

        @Sendable func sleep(_ duration: Duration) async throws {
            waits.withLock { $0.append(duration) }
        }
    }

    static func ok(_ status: Int = 200) -> ScriptedTransport.Step { .reply(status, []) }

    static let fixedNow = Date(timeIntervalSince1970: 1_700_000_000)

    func transport(
        _ base: any HTTPTransport, _ sleeper: Sleeper, limiter: RateLimiter? = nil,
        jitter: @escaping @Sendable (Duration) -> Duration = { $0 }
    ) -> RetryingTransport {
        RetryingTransport(base, limiter: limiter, sleep: { try await sleeper.sleep($0) }, jitter: jitter, now: { Self.fixedNow })
    }

    /// Counts the calls it signs.
    final class CountingSigner: RequestSigner {
        let count = Mutex(0)

        func sign(_ call: HTTPCall) throws -> HTTPCall {
            var signed = call
            signed.headers = [("x-attempt", String(count.withLock { count in count += 1; return count }))]
            return signed
        }
    }

    @Test func everyAttemptIsPreparedAfreshSoSignaturesNeverGoStale() async throws {
        let base = ScriptedTransport([.reply(429, [("Retry-After", "2")]), Self.ok()])
        let signer = CountingSigner()
        let call = HTTPCall(method: "POST", url: "https://bank.example/x")
        let reply = try await transport(SigningTransport(base, signer: signer), Sleeper()).send(call)
        #expect(reply.status == 200)
        #expect(signer.count.withLock { $0 } == 2)
    }

    @Test func getIsRetriedOn503ThenSucceeds() async throws {
        let base = ScriptedTransport([.reply(503, []), .reply(503, []), Self.ok()])
        let sleeper = Sleeper()
        let reply = try await transport(base, sleeper).send(HTTPCall(method: "GET", url: "https://bank.example/items"))
        #expect(reply.status == 200)
        #expect(base.count == 3)
        // Jitter here returns the ceiling: 0.5 s, then 1 s.
        #expect(sleeper.recorded == [.milliseconds(500), .seconds(1)])
    }

    @Test func getGivesUpAfterFourAttempts() async throws {
        let base = ScriptedTransport([.reply(502, [])])
        let sleeper = Sleeper()
        let reply = try await transport(base, sleeper).send(HTTPCall(method: "GET", url: "https://bank.example/items"))
        #expect(reply.status == 502)
        #expect(base.count == 4)
        #expect(sleeper.recorded == [.milliseconds(500), .seconds(1), .seconds(2)])
    }

    @Test func getIsRetriedAfterATimeoutButNotOn501() async throws {
        let timedOut = ScriptedTransport([.fail(sent: true), Self.ok()])
        #expect(try await transport(timedOut, Sleeper()).send(HTTPCall(method: "GET", url: "https://bank.example/items")).status == 200)
        #expect(timedOut.count == 2)

        let unimplemented = ScriptedTransport([.reply(501, []), Self.ok()])
        #expect(try await transport(unimplemented, Sleeper()).send(HTTPCall(method: "GET", url: "https://bank.example/items")).status == 501)
        #expect(unimplemented.count == 1)
    }

    @Test(arguments: ["POST", "PUT", "PATCH", "DELETE"])
    func aChangeIsNotRetriedOn503(method: String) async throws {
        let base = ScriptedTransport([.reply(503, []), Self.ok(201)])
        let sleeper = Sleeper()
        let reply = try await transport(base, sleeper).send(HTTPCall(method: method, url: "https://bank.example/items", body: Array("{}".utf8)))
        #expect(reply.status == 503)
        #expect(base.count == 1)
        #expect(sleeper.recorded.isEmpty)
    }

    @Test func postIsNotRetriedAfterATimeoutOnceSent() async throws {
        let base = ScriptedTransport([.fail(sent: true), Self.ok(201)])
        let sleeper = Sleeper()
        await #expect(throws: TransportFailure.self) {
            _ = try await transport(base, sleeper).send(HTTPCall(method: "POST", url: "https://bank.example/items"))
        }
        #expect(base.count == 1)
        #expect(sleeper.recorded.isEmpty)
    }

    @Test func postIsRetriedOn429AfterRetryAfterSeconds() async throws {
        let base = ScriptedTransport([.reply(429, [("Retry-After", "7")]), Self.ok(201)])
        let sleeper = Sleeper()
        let reply = try await transport(base, sleeper).send(HTTPCall(method: "POST", url: "https://bank.example/items"))
        #expect(reply.status == 201)
        #expect(base.count == 2)
        #expect(sleeper.recorded == [.seconds(7)])
    }

    @Test func retryAfterAsAnHTTPDateAndCapped() async throws {
        let date = "Tue, 14 Nov 2023 22:13:50 GMT"  // fixedNow + 30 s
        let dated = ScriptedTransport([.reply(429, [("retry-after", date)]), Self.ok(201)])
        let sleeper = Sleeper()
        _ = try await transport(dated, sleeper).send(HTTPCall(method: "POST", url: "https://bank.example/items"))
        #expect(sleeper.recorded == [.seconds(30)])

        let long = ScriptedTransport([.reply(429, [("Retry-After", "3600")]), Self.ok(201)])
        let capped = Sleeper()
        _ = try await transport(long, capped).send(HTTPCall(method: "POST", url: "https://bank.example/items"))
        #expect(capped.recorded == [.seconds(60)])

        let unreadable = ScriptedTransport([.reply(429, [("Retry-After", "soon")]), Self.ok(201)])
        let backoff = Sleeper()
        _ = try await transport(unreadable, backoff).send(HTTPCall(method: "POST", url: "https://bank.example/items"))
        #expect(backoff.recorded == [.milliseconds(500)])
    }

    @Test func postIsRetriedWhenTheConnectionWasRefused() async throws {
        let base = ScriptedTransport([.fail(sent: false), .fail(sent: false), Self.ok(201)])
        let sleeper = Sleeper()
        let reply = try await transport(base, sleeper).send(HTTPCall(method: "POST", url: "https://bank.example/items"))
        #expect(reply.status == 201)
        #expect(base.count == 3)
        #expect(sleeper.recorded == [.milliseconds(500), .seconds(1)])
    }

    @Test func aTokenIsTakenBeforeEveryAttempt() async throws {
        let limiter = RateLimiter(requestsPerSecond: 1000)
        let base = ScriptedTransport([.reply(429, [("Retry-After", "0")]), .reply(503, []), Self.ok()])
        _ = try await transport(base, Sleeper(), limiter: limiter).send(HTTPCall(method: "GET", url: "https://bank.example/items"))
        #expect(base.count == 3)
        #expect(await limiter.released == 3)
    }

    @Test func backoffDoublesUpToItsCapAndJitterStaysWithin() async throws {
        let policy = RetryPolicy.standard
        #expect((1...6).map(policy.backoffCeiling(retry:)) == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8)])
        for ceiling in [Duration.milliseconds(500), .seconds(8), .zero] {
            let samples = (0..<500).map { _ in RetryingTransport.fullJitter(ceiling) }
            #expect(samples.allSatisfy { $0 >= .zero && $0 <= ceiling })
            if ceiling > .zero { #expect(Set(samples).count > 1) }
        }
        // With the default jitter, each wait lies between zero and its retry's ceiling.
        let base = ScriptedTransport([.reply(503, [])])
        let sleeper = Sleeper()
        _ = try await RetryingTransport(base, sleep: { try await sleeper.sleep($0) })
            .send(HTTPCall(method: "GET", url: "https://bank.example/items"))
        let waits = sleeper.recorded
        #expect(waits.count == 3)
        for (index, wait) in waits.enumerated() {
            #expect(wait >= .zero && wait <= policy.backoffCeiling(retry: index + 1))
        }
    }
}

/// The limiter on a clock that never waits for real: the spacing is exact.
struct RateLimiterTests {
    /// Time moves only when someone sleeps, straight to the deadline.
    final class SteppingClock: Clock {
        struct Instant: InstantProtocol {
            var offset: Duration
            func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
            func duration(to other: Instant) -> Duration { other.offset - offset }
            static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        }

        let current = Mutex(Instant(offset: .zero))
        var now: Instant { current.withLock { $0 } }
        var minimumResolution: Duration { .nanoseconds(1) }

        func sleep(until deadline: Instant, tolerance: Duration?) async throws {
            try Task.checkCancellation()
            current.withLock { $0 = max($0, deadline) }
        }
    }

    @Test func hundredRequestsAtTwentyPerSecondAreEvenlySpaced() async throws {
        let clock = SteppingClock()
        let limiter = RateLimiter(requestsPerSecond: 20, clock: clock)
        var grants: [Duration] = []
        for _ in 0..<100 {
            try await limiter.acquire()
            grants.append(clock.now.offset)
        }
        #expect(grants.first == .zero)
        #expect(grants.last == .milliseconds(4950))
        #expect(zip(grants, grants.dropFirst()).allSatisfy { $1 - $0 == .milliseconds(50) })
        // No window [t, t + 1 s) holds more than 20.
        for start in grants {
            #expect(grants.filter { $0 >= start && $0 < start + .seconds(1) }.count <= 20)
        }
    }

    @Test func cancellationStopsAWait() async throws {
        let limiter = RateLimiter(requestsPerSecond: 1)
        try await limiter.acquire()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await #expect(throws: CancellationError.self) { try await limiter.acquire() }
            }
            group.cancelAll()
        }
        #expect(await limiter.released == 1)
    }
}

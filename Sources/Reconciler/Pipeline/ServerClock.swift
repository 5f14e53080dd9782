import Foundation
import Synchronization

/// The bank's clock as its answers show it: the `Date` header of the latest answer, and this machine's time when the
/// request left and when the answer came (the bank's time lies between the two, give or take its rounding).
///
/// Invariant: written only by `ClockReadingTransport`, at the bottom of a provider's pipeline; nothing is kept but the
/// latest reading.
public final class ServerClock: Sendable {
    /// One reading: the bank's time (whole seconds, as HTTP dates are) and this machine's times around the call.
    public struct Reading: Sendable, Equatable {
        public var bank: Date
        public var sent: Date
        public var received: Date

        public init(bank: Date, sent: Date, received: Date) {
            self.bank = bank
            self.sent = sent
            self.received = received
        }

        /// Seconds this machine is ahead of the bank (negative when behind): how far the bank's time falls outside the
        /// call's span, so a slow answer is not taken for a clock that is off.
        public var offset: TimeInterval {
            if bank < sent { return sent.timeIntervalSince(bank) }
            if bank > received { return -bank.timeIntervalSince(received) }
            return 0
        }
    }

    /// The latest `Date` header as sent, read only when asked for (most runs never ask).
    let latest = Mutex<(header: String, sent: Date, received: Date)?>(nil)

    public init() {}

    public var reading: Reading? {
        guard let latest = latest.withLock({ $0 }), let bank = Self.httpDate(latest.header) else { return nil }
        return Reading(bank: bank, sent: latest.sent, received: latest.received)
    }

    func record(_ reply: HTTPReply, sent: Date, received: Date) {
        guard let header = reply.header("Date") else { return }
        latest.withLock { $0 = (header, sent, received) }
    }

    /// An HTTP date (RFC 9110 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

/// Keeps the `Date` header of every answer in the provider's `ServerClock`, as it comes off the wire.
struct ClockReadingTransport: HTTPTransport {
    let base: any HTTPTransport
    let clock: ServerClock
    let now: @Sendable () -> Date

    func send(_ call: HTTPCall) async throws -> HTTPReply {
        let sent = now()
        let reply = try await base.send(call)
        clock.record(reply, sent: sent, received: now())
        return reply
    }
}

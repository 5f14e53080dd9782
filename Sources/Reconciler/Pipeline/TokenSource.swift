import Foundation
import PlanModel

/// A bearer token as the bank issued it.
public struct IssuedToken: Sendable {
    public var value: Sensitive
    /// Seconds the bank says it stays valid.
    public var lifetime: Double

    public init(value: Sensitive, lifetime: Double) {
        self.value = value
        self.lifetime = lifetime
    }
}

/// Gets a new access token from the bank (client credentials, a refresh token, ...).
public protocol TokenSource: Sendable {
    func issue() async throws -> IssuedToken
}

/// The current token and when to stop using it: at 80 % of its lifetime, and never later than a minute before expiry.
public actor TokenCache {
    var token: Sensitive?
    var renewAt = Date.distantPast

    public init() {}

    public func current(now: Date) -> Sensitive? {
        now < renewAt ? token : nil
    }

    public func store(_ token: IssuedToken, now: Date) {
        self.token = token.value
        renewAt = now.addingTimeInterval(max(0, min(token.lifetime * 0.8, token.lifetime - 60)))
    }

    public func forget() {
        token = nil
        renewAt = .distantPast
    }
}

/// Adds `Authorization: Bearer` from a token source, renewing early; on a 401 it renews once and sends again.
public struct BearerTokenTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let source: any TokenSource
    public let cache: TokenCache
    let now: @Sendable () -> Date

    public init(_ base: any HTTPTransport, source: any TokenSource, cache: TokenCache = TokenCache(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base
        self.source = source
        self.cache = cache
        self.now = now
    }

    public func send(_ call: HTTPCall) async throws -> HTTPReply {
        let reply = try await base.send(authorized(call, with: token()))
        guard reply.status == 401 else { return reply }
        await cache.forget()
        return try await base.send(authorized(call, with: token()))
    }

    func token() async throws -> Sensitive {
        if let token = await cache.current(now: now()) { return token }
        let issued = try await source.issue()
        await cache.store(issued, now: now())
        return issued.value
    }

    func authorized(_ call: HTTPCall, with token: Sensitive) -> HTTPCall {
        var call = call
        call.headers.removeAll { $0.name.lowercased() == "authorization" }
        call.headers.insert(("Authorization", "Bearer \(token.revealed)"), at: 0)
        return call
    }
}

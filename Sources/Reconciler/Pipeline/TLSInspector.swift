import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import X509

/// What a TLS handshake with an endpoint showed: whether it was reached and its certificate verified, and the
/// certificate's expiry (read even when it does not verify).
public struct EndpointInspection: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The certificate verifies for the host against the trusted roots.
        case verified
        /// A handshake was made, but the certificate does not verify (the reason as TLS gave it).
        case unverified(String)
        /// The host does not resolve.
        case unresolved(String)
        /// The host resolves but no TLS connection could be made.
        case unreachable(String)
    }

    public var outcome: Outcome
    /// When the endpoint's certificate expires, when one was seen.
    public var notValidAfter: Date?
    /// The certificate's subject, when one was seen.
    public var subject: String?

    public init(outcome: Outcome, notValidAfter: Date? = nil, subject: String? = nil) {
        self.outcome = outcome
        self.notValidAfter = notValidAfter
        self.subject = subject
    }
}

/// Looks at an https endpoint before anything is sent to it: the role `provision check` uses, played by `TLSInspector`.
public protocol EndpointInspecting: Sendable {
    func inspect(host: String, port: Int) async -> EndpointInspection
}

/// Makes a TLS handshake (NIOSSL, the system's trusted roots plus any given) with an endpoint and reads its
/// certificate; sends no request. A certificate that does not verify is read again without verification, for its expiry.
public struct TLSInspector: EndpointInspecting {
    /// PEM certificates trusted beside the system's roots (e.g. a company's own CA).
    public let additionalTrustRoots: [String]
    public let timeout: TimeAmount

    public init(additionalTrustRoots: [String] = [], timeout: TimeAmount = .seconds(10)) {
        self.additionalTrustRoots = additionalTrustRoots
        self.timeout = timeout
    }

    public func inspect(host: String, port: Int) async -> EndpointInspection {
        do {
            let certificate = try await handshake(host: host, port: port, verify: true)
            return EndpointInspection(outcome: .verified, notValidAfter: certificate?.notValidAfter, subject: certificate.map { "\($0.subject)" })
        } catch let error as NIOConnectionError {
            let resolved = error.dnsAError == nil && error.dnsAAAAError == nil || !error.connectionErrors.isEmpty
            return EndpointInspection(outcome: resolved ? .unreachable("\(error)") : .unresolved("\(error)"))
        } catch {
            let reason = Self.reason(error)
            let seen = try? await handshake(host: host, port: port, verify: false)
            guard let seen else { return EndpointInspection(outcome: .unreachable(reason)) }
            return EndpointInspection(outcome: .unverified(reason), notValidAfter: seen.notValidAfter, subject: "\(seen.subject)")
        }
    }

    /// The peer's certificate after a handshake, verified or not; the connection is closed before this returns.
    func handshake(host: String, port: Int, verify: Bool) async throws -> Certificate? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if verify {
            configuration.additionalTrustRoots = try additionalTrustRoots.map { .certificates(try NIOSSLCertificate.fromPEMBytes(Array($0.utf8))) }
        } else {
            configuration.certificateVerification = .none
        }
        let context = try NIOSSLContext(configuration: configuration)
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        let timeout = timeout
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let waiter = HandshakeWaiter(promise: channel.eventLoop.makePromise(), timeout: timeout)
                    try channel.pipeline.syncOperations.addHandlers(
                        NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host), waiter)
                }
            }
            .connect(host: host, port: port).get()
        defer { channel.close(promise: nil) }
        let waiter = try await channel.pipeline.handler(type: HandshakeWaiter.self).get()
        try await waiter.promise.futureResult.get()
        guard let peer = try await channel.nioSSL_peerCertificate().get() else { return nil }
        return try Certificate(derEncoded: try peer.toDERBytes())
    }

    /// What TLS said, in one line.
    static func reason(_ error: any Error) -> String {
        if case NIOSSLError.handshakeFailed(let inner) = error { return "the TLS handshake failed: \(inner)" }
        return "\(error)"
    }
}

/// Completes its promise when the TLS handshake completes, fails it on an error, a closed connection or a timeout.
final class HandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = NIOAny

    let promise: EventLoopPromise<Void>
    let timeout: TimeAmount
    /// Touched only on the channel's event loop.
    private var done = false

    init(promise: EventLoopPromise<Void>, timeout: TimeAmount) {
        self.promise = promise
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loop = context.eventLoop
        loop.scheduleTask(in: timeout) { [self] in finish(.failure(ChannelError.connectTimeout(timeout))) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { finish(.success(())) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ChannelError.eof))
        context.fireChannelInactive()
    }

    func finish(_ result: Result<Void, any Error>) {
        guard !done else { return }
        done = true
        promise.completeWith(result)
    }
}

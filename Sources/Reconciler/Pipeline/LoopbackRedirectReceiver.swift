import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Listens on a loopback address for the redirect a person's browser is sent to (an OAuth callback URL such as
/// `http://127.0.0.1:8765/callback`), answers it with a short page, and keeps the first one received.
///
/// Invariant: it binds only loopback addresses, so nothing outside the machine can reach it.
public final class LoopbackRedirectReceiver: Sendable {
    /// The port actually bound.
    public let port: Int
    let channel: any Channel
    let inbox: RedirectInbox

    init(port: Int, channel: any Channel, inbox: RedirectInbox) {
        self.port = port
        self.channel = channel
        self.inbox = inbox
    }

    /// True for `127.0.0.0/8`, `::1` and `localhost`, the hosts a redirect can be received on without leaving the machine.
    public static func isLoopback(host: String) -> Bool {
        let bare = host.trimmingCharacters(in: ["[", "]"]).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }

    /// Starts listening on `host:port` for `GET path?...`; other paths get 404. `page` is the HTML shown to the person.
    public static func start(host: String, port: Int, path: String, page: String) async throws -> LoopbackRedirectReceiver {
        guard isLoopback(host: host) else { throw ChannelError.unknownLocalAddress }
        let inbox = RedirectInbox()
        let bindHost = host.lowercased() == "localhost" ? "127.0.0.1" : host.trimmingCharacters(in: ["[", "]"])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RedirectHandler(path: path, page: page, inbox: inbox))
                }
            }
            .bind(host: bindHost, port: port).get()
        return LoopbackRedirectReceiver(port: channel.localAddress?.port ?? port, channel: channel, inbox: inbox)
    }

    /// The path and query of the first redirect received, e.g. `/callback?code=...&state=...`; nil until one arrives.
    public var received: String? { inbox.target }

    /// Stops listening; a redirect already received is kept.
    public func close() async {
        try? await channel.close()
    }
}

/// The first matching request target a receiver got.
final class RedirectInbox: Sendable {
    private let first = Mutex<String?>(nil)

    var target: String? { first.withLock { $0 } }

    func keep(_ target: String) {
        first.withLock { if $0 == nil { $0 = target } }
    }
}

/// Answers each request on a receiver's connection: the page for the redirect path, 404 otherwise; then closes.
final class RedirectHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let path: String
    let page: String
    let inbox: RedirectInbox
    var target = ""

    init(path: String, page: String, inbox: RedirectInbox) {
        self.path = path.isEmpty ? "/" : path
        self.page = page
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): target = head.method == .GET ? head.uri : ""
        case .body: break
        case .end: respond(context)
        }
    }

    func respond(_ context: ChannelHandlerContext) {
        let matches = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) == path
        if matches { inbox.keep(target) }
        let body = matches ? page : "<!doctype html><title>Not found</title><p>Not found.</p>"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: matches ? .ok : .notFound, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        let channel = context.channel
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }
}

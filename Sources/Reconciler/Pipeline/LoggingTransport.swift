import Foundation
import Logging

/// Logs each attempt on the wire through swift-log (`provision.http`): method, URL without its query, status and time
/// at debug; the bank's request id and the body sizes at trace.
///
/// Invariant: never logs headers, bodies or query strings, so no credential or secret reaches a log at any level.
public struct LoggingTransport: HTTPTransport {
    public let base: any HTTPTransport
    let logger: Logger

    public init(_ base: any HTTPTransport, logger: Logger = Logger(label: "provision.http")) {
        self.base = base
        self.logger = logger
    }

    public func send(_ call: HTTPCall) async throws -> HTTPReply {
        let target = "\(call.method) \(Self.withoutQuery(call.url))"
        logger.debug("request", metadata: ["call": "\(target)"])
        logger.trace("request body", metadata: ["call": "\(target)", "bytes": "\(call.body?.count ?? 0)"])
        let started = ContinuousClock.now
        do {
            let reply = try await base.send(call)
            let elapsed = ContinuousClock.now - started
            logger.debug("response", metadata: ["call": "\(target)", "status": "\(reply.status)", "seconds": "\(String(format: "%.3f", elapsed.seconds))"])
            logger.trace("response body", metadata: [
                "call": "\(target)", "bytes": "\(reply.body.count)", "request_id": "\(reply.header("x-request-id") ?? "-")",
            ])
            return reply
        } catch let failure as TransportFailure {
            logger.notice("no response", metadata: ["call": "\(target)", "reason": "\(failure.reason)"])
            throw failure
        }
    }

    /// The URL up to `?`: a query may carry values a log should not keep.
    static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }
}

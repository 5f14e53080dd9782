import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// The production transport: one AsyncHTTPClient for the process that never follows a redirect and keeps
/// enough connections per host for the applier's parallelism.
///
/// Invariant: an answer larger than `maxResponseBytes` fails at once and is never asked for again.
public struct AsyncHTTPTransport: HTTPTransport {
    /// The most connections kept per host; the applier's `--parallelism` decides how many are in use.
    public static let connectionsPerHost = 64

    /// Never shut down: it lives as long as the process.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        // A refused or failed connection fails the attempt at once; the pipeline's own retries decide what follows.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// A backstop for a call no pipeline bounds; `DeadlineTransport` sets each provider's own.
    public var timeout: TimeAmount
    public var maxResponseBytes: Int

    /// The largest answer a bank sends to a manifest of `resources` resources: 1 KB for each (a list of all of them
    /// in one answer), and never less than 16 MB. A fixed 16 MB refused the list of 100,000 accounts (23 MB).
    public static func responseLimit(resources: Int) -> Int {
        max(16 << 20, resources << 10)
    }

    public init(timeoutSeconds: Int64 = 300, maxResponseBytes: Int = 16 << 20) {
        self.timeout = .seconds(timeoutSeconds)
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ call: HTTPCall) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: call.url)
        request.method = HTTPMethod(rawValue: call.method)
        for header in call.headers {
            request.headers.add(name: header.name, value: header.value)
        }
        if let body = call.body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await Self.client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: maxResponseBytes)
            return HTTPReply(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: Array(buffer: body))
        } catch is NIOTooManyBytesError {
            throw TransportFailure(
                reason: "the answer is larger than \(maxResponseBytes >> 20) MB, more than a bank API sends", requestMayHaveBeenSent: true,
                isFinal: true)
        } catch {
            throw Self.failure(error, url: call.url)
        }
    }

    /// One sentence for a failure with no answer: what went wrong in words a person can act on, and whether the
    /// request may have reached the server.
    static func failure(_ error: any Error, url: String) -> TransportFailure {
        let text = String(describing: error)
        let place = Self.hostAndPort(url)
        if text.contains("Connection refused") || text.contains("connectionRefused") {
            return TransportFailure(reason: "nothing answers at \(place) (connection refused): check the endpoint's host and port", requestMayHaveBeenSent: false)
        }
        if text.contains("getaddrinfo") || text.contains("NXDOMAIN") || text.contains("not known") || text.contains("resolution") {
            return TransportFailure(reason: "the host of \(place) cannot be resolved: check the endpoint's spelling and DNS", requestMayHaveBeenSent: false)
        }
        if text.contains("SSL") || text.contains("TLS") || text.contains("handshake") || text.contains("certificate") {
            return TransportFailure(
                reason: "the TLS handshake with \(place) failed: check that the endpoint speaks https (not http) and that its certificate is trusted",
                requestMayHaveBeenSent: false)
        }
        if let error = error as? HTTPClientError, error == .connectTimeout {
            return TransportFailure(reason: "no connection to \(place) within 5 s: check the endpoint and the network", requestMayHaveBeenSent: false)
        }
        if error is NIOConnectionError {
            return TransportFailure(reason: "cannot connect to \(place): check the endpoint and the network", requestMayHaveBeenSent: false)
        }
        return TransportFailure(reason: text, requestMayHaveBeenSent: true)
    }

    /// `host:port` of a URL, for messages.
    static func hostAndPort(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        return "\(host):\(port)"
    }
}

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
        configuration.timeout = .init(connect: .seconds(10))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// A backstop for a call no pipeline bounds; `DeadlineTransport` sets each provider's own.
    public var timeout: TimeAmount
    public var maxResponseBytes: Int

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
        } catch let error as HTTPClientError {
            let unsent = error == .connectTimeout
            throw TransportFailure(reason: "\(error)", requestMayHaveBeenSent: !unsent)
        } catch let error as NIOConnectionError {
            throw TransportFailure(reason: "cannot connect: \(error)", requestMayHaveBeenSent: false)
        } catch {
            throw TransportFailure(reason: "\(error)", requestMayHaveBeenSent: true)
        }
    }
}

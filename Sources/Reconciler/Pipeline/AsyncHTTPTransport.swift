import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// The production transport, on AsyncHTTPClient's shared client.
public struct AsyncHTTPTransport: HTTPTransport {
    public var timeout: TimeAmount
    public var maxResponseBytes: Int

    public init(timeoutSeconds: Int64 = 30, maxResponseBytes: Int = 16 << 20) {
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
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: maxResponseBytes)
            return HTTPReply(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: Array(buffer: body))
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

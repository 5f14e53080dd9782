import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import Sandbox

/// Where a harness sends its requests: into the sandbox's router in this process, or over HTTP to a sandbox on a port.
enum SandboxTransport: Sendable {
    /// HummingbirdTesting's `.router` client: no port is bound.
    case router(any TestClientProtocol)
    /// A sandbox started by `SandboxServer.start`.
    case port(RunningSandbox)

    /// An answer as received.
    struct Answer: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: ByteBuffer
    }

    /// Redirects are answers under test here, never followed.
    static let http = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(redirectConfiguration: .disallow))

    /// The scheme and authority the sandbox is addressed by: the bound port, or the router client's `localhost`.
    var origin: String {
        switch self {
        case .router: "http://localhost"
        case .port(let sandbox): "http://127.0.0.1:\(sandbox.port)"
        }
    }

    /// Sends a request for `target`, the path and query from the server root (e.g. `/sepay/v1/token`).
    func send(_ method: HTTPMethod, _ target: String, headers: [(String, String)], body: ByteBuffer?) async throws -> Answer {
        switch self {
        case .router(let client):
            var fields = HTTPFields()
            for (name, value) in headers {
                fields.append(HTTPField(name: try #require(HTTPField.Name(name)), value: value))
            }
            let response = try await client.executeRequest(
                uri: target, method: try #require(HTTPRequest.Method(method.rawValue)), headers: fields, body: body)
            let received = HTTPHeaders(response.headers.map { ($0.name.rawName, $0.value) })
            return Answer(status: Int(response.status.code), headers: received, body: response.body)
        case .port:
            var request = HTTPClientRequest(url: origin + target)
            request.method = method
            for (name, value) in headers {
                request.headers.add(name: name, value: value)
            }
            if let body { request.body = .bytes(body) }
            let response = try await Self.http.execute(request, timeout: .seconds(10))
            let bytes = try await response.body.collect(upTo: 4 << 20)
            return Answer(status: Int(response.status.code), headers: response.headers, body: bytes)
        }
    }

    /// Runs `body` against a sandbox built from `configuration` and driven in process through its router.
    static func inProcess<T>(
        _ configuration: SandboxConfiguration, _ body: @Sendable (SandboxTransport) async throws -> T
    ) async throws -> T {
        let sandbox = try SandboxApplication(configuration: configuration)
        do {
            let result = try await sandbox.application().test(.router) { client in try await body(.router(client)) }
            await sandbox.shutdown()
            return result
        } catch {
            await sandbox.shutdown()
            throw error
        }
    }

    /// Runs `body` against a sandbox started on a free port, then stops it.
    static func onPort<T>(_ configuration: SandboxConfiguration, _ body: (SandboxTransport) async throws -> T) async throws -> T {
        let sandbox = try await SandboxServer.start(configuration)
        do {
            let result = try await body(.port(sandbox))
            await sandbox.stop()
            return result
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    /// Runs `body` with `directory`, or with a fresh temporary folder that is removed afterwards.
    static func inFolder<T>(_ directory: URL?, _ body: (URL) async throws -> T) async throws -> T {
        let folder = directory ?? makeTemporaryDirectory()
        defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }
        return try await body(folder)
    }

    static func makeTemporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-tests-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

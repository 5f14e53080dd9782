import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Sandbox
import Testing

/// The Finan One request signature, written for these tests from `providers/finan-one.md` alone.
enum TestSigner {
    /// Lowercase hex SHA-256 (un-keyed) of the exact UTF-8 bytes of `message`.
    static func sha256Hex(_ message: String) -> String {
        let digits = Array("0123456789abcdef")
        return String(SHA256.hash(data: Array(message.utf8)).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }

    /// `{secret}_{METHOD}_{path?query}_{payload}_{timestamp}`, hashed.
    static func signature(secret: String, method: String, path: String, payload: String, timestamp: String) -> String {
        sha256Hex("\(secret)_\(method)_\(path)_\(payload)_\(timestamp)")
    }
}

/// One answer from the simulator, its body parsed as a JSON object.
struct FinanReply {
    let status: Int
    let headers: HTTPHeaders
    let raw: String
    let json: [String: Any]

    var code: Int? { json["code"] as? Int }
    var message: [String: Any] { json["message"] as? [String: Any] ?? [:] }
    var error: String? { message["error"] as? String }
    var content: String? { message["content"] as? String }
    var dataObject: [String: Any]? { json["data"] as? [String: Any] }
    var dataArray: [[String: Any]]? { json["data"] as? [[String: Any]] }
}

/// A sandbox for one test, with a fixed clock and its own data folder, driven in process (`inProcess`) or on a port (`with`).
///
/// Invariant: the server clock reads `FinanHarness.serverTime` unless a test passes another one.
struct FinanHarness: Sendable {
    static let serverTime = 1_700_000_000
    static let timestamp = String(serverTime)
    static let client = "sandbox-client-id"
    static let secret = "sandbox-secret-key"
    static let masterID = "3c919ce1-b310-47ae-9727-f9323ac4fba7"
    static let mount = "/finan/open"

    let transport: SandboxTransport
    let directory: URL

    /// Runs `body` against a fresh sandbox on a free port, then stops it; the data folder is removed unless the caller owns it.
    static func with<T>(
        directory: URL? = nil, seed: String? = nil, serverTime: Int = serverTime,
        _ body: (FinanHarness) async throws -> T
    ) async throws -> T {
        try await SandboxTransport.inFolder(directory) { folder in
            try await SandboxTransport.onPort(configuration(folder, seed: seed, serverTime: serverTime)) { transport in
                try await body(FinanHarness(transport: transport, directory: folder))
            }
        }
    }

    /// Runs `body` against a fresh sandbox driven in process through its router, without binding a port.
    static func inProcess<T>(
        directory: URL? = nil, seed: String? = nil, serverTime: Int = serverTime,
        _ body: @Sendable (FinanHarness) async throws -> T
    ) async throws -> T {
        try await SandboxTransport.inFolder(directory) { folder in
            try await SandboxTransport.inProcess(configuration(folder, seed: seed, serverTime: serverTime)) { transport in
                try await body(FinanHarness(transport: transport, directory: folder))
            }
        }
    }

    static func configuration(_ folder: URL, seed: String?, serverTime: Int) -> SandboxConfiguration {
        SandboxConfiguration(
            port: 0, dataDirectory: folder.path, seedFile: seed, now: { Date(timeIntervalSince1970: TimeInterval(serverTime)) })
    }

    static func makeTemporaryDirectory() -> URL {
        SandboxTransport.makeTemporaryDirectory()
    }

    /// Sends a signed request; `signedPayload` defaults to the body as sent, `omit` drops one header.
    func call(
        _ method: HTTPMethod, _ path: String, query: String? = nil, body: String? = nil,
        contentType: String? = "application/json", client: String = Self.client, secret: String = Self.secret,
        timestamp: String = Self.timestamp, signedPayload: String? = nil, signature: String? = nil,
        omit: String? = nil, headers extra: [(String, String)] = []
    ) async throws -> FinanReply {
        let pathAndQuery = path + (query.map { "?" + $0 } ?? "")
        let payload = method == .GET || method == .DELETE ? "" : (signedPayload ?? body ?? "")
        var headers: [(String, String)] = [
            ("x-client-id", client),
            ("x-timestamp", timestamp),
            ("x-signature", signature ?? TestSigner.signature(
                secret: secret, method: method.rawValue, path: pathAndQuery, payload: payload, timestamp: timestamp)),
        ]
        if let contentType { headers.append(("Content-Type", contentType)) }
        headers += extra
        let answer = try await transport.send(
            method, Self.mount + pathAndQuery, headers: headers.filter { $0.0 != omit }, body: body.map { ByteBuffer(string: $0) })
        let raw = String(buffer: answer.body)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any], "not a JSON object: \(raw)")
        return FinanReply(status: answer.status, headers: answer.headers, raw: raw, json: json)
    }

    /// Creates a bank account under the default master and returns the created `data`.
    func create(_ name: String, master: String = Self.masterID) async throws -> [String: Any] {
        let reply = try await call(.POST, "/api/v1/bank-accounts", body: #"{"master_account_id":"\#(master)","account_name":"\#(name)"}"#)
        #expect(reply.status == 200, "\(reply.raw)")
        return try #require(reply.dataObject, "\(reply.raw)")
    }
}

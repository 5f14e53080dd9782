import Foundation
import HTTPTypes
import Hummingbird

/// A request as a simulator sees it: the path below its mount point and the raw query as received.
struct SimulatedRequest: Sendable {
    var method: String
    /// Below the mount point, e.g. `/api/v1/bank-accounts`; `/` for the mount point itself.
    var path: String
    /// Exactly as received, without the `?`; nil when the URL had none.
    var rawQuery: String?
    /// Header names in lower case.
    var headers: [String: String]
    var body: [UInt8]
    /// The path components the route captured, by the names of its `{name}` components.
    var parameters: [String: String] = [:]

    /// The largest body a simulator reads.
    static let maximumBody = 4 << 20

    /// Reads `request` as the simulator mounted at `mount` sees it, leaving its body buffered for whoever reads it next.
    ///
    /// Throws the router's plain 404 when the raw path is not exactly at or below `mount`: the router matched it only
    /// because it skips empty components (`//finan/open/...`).
    init(_ request: inout Request, mount: String) async throws {
        let fullPath = request.uri.path
        guard fullPath == mount || fullPath.hasPrefix(mount + "/") else { throw HTTPError(.notFound) }
        let body = try await request.collectBody(upTo: Self.maximumBody)
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
        }
        // HTTP/1 `Host` arrives as the request's authority, not as a header field.
        if let authority = request.head.authority, headers["host"] == nil { headers["host"] = authority }
        let path = String(fullPath.dropFirst(mount.count))
        self.init(
            method: request.method.rawValue, path: path.isEmpty ? "/" : path, rawQuery: request.uri.query, headers: headers,
            body: Array(body.readableBytesView))
    }

    init(method: String, path: String, rawQuery: String?, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
    }

    /// Query parameters, percent-decoded; later duplicates win.
    var queryItems: [String: String] {
        var items: [String: String] = [:]
        for pair in (rawQuery ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            items[name] = value
        }
        return items
    }

    /// Whether the path has an empty component (`//`, or a trailing `/`), which no route of a simulator has.
    var hasEmptyComponent: Bool {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().contains { $0.isEmpty }
    }

    /// The value the route captured for its `{name}` component.
    func parameter(_ name: String) -> String {
        parameters[name] ?? ""
    }
}

/// A simulator's answer, before Hummingbird sends it.
struct SimulatedResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
}

extension Response {
    /// The simulator's `answer` to a request made with `method`; a HEAD request gets the headers without the body.
    init(_ answer: SimulatedResponse, to method: HTTPRequest.Method) {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let bytes = method == .head ? ByteBuffer() : ByteBuffer(bytes: answer.body)
        self.init(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: bytes))
    }
}

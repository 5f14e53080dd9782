import Foundation

/// A request as a simulator sees it: the path below its mount point and the raw query as received.
struct SimulatedRequest: Sendable {
    var method: String
    /// Below the mount point, e.g. `/api/v1/bank-accounts`.
    var path: String
    /// Exactly as received, without the `?`; nil when the URL had none.
    var rawQuery: String?
    /// Header names in lower case.
    var headers: [String: String]
    var body: [UInt8]

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
}

struct SimulatedResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
}

/// One bank's simulated API, mounted under a path prefix of the sandbox server.
protocol BankSimulator: Sendable {
    /// Path prefix, e.g. `/finan/open`; requests below it are handed to `handle`.
    var mount: String { get }
    func handle(_ request: SimulatedRequest) async -> SimulatedResponse
}

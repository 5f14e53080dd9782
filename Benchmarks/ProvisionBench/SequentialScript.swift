import Crypto
import Foundation
import Reconciler

/// What a person would write without the tool: a loop over the accounts, one call at a time, signed by hand.
struct SequentialScript {
    static let client = "sandbox-client-id"
    static let secret = "sandbox-secret-key"
    static let master = "3c919ce1-b310-47ae-9727-f9323ac4fba7"

    let base: String
    let transport = AsyncHTTPTransport()

    init(port: Int) {
        base = "http://127.0.0.1:\(port)/finan/open"
    }

    /// One GET per account the script knows the id of; says how many exist.
    func plan(accounts: Int) async throws -> String {
        var found = 0
        for index in 1...accounts {
            if try await call("GET", "/api/v1/bank-accounts/acc-\(index)").status == 200 { found += 1 }
        }
        return "found \(found) of \(accounts), one GET each"
    }

    /// One GET per account; one POST for each the bank does not hold.
    func apply(accounts: Int) async throws -> String {
        var created = 0
        for index in 1...accounts {
            guard try await call("GET", "/api/v1/bank-accounts/unknown-\(index)").status == 404 else { continue }
            let body = #"{"master_account_id":"\#(Self.master)","account_name":"ACCOUNT \#(index)"}"#
            if try await call("POST", "/api/v1/bank-accounts", body: body).status == 200 { created += 1 }
        }
        return "created \(created) of \(accounts), one GET and one POST each"
    }

    func call(_ method: String, _ path: String, body: String? = nil) async throws -> HTTPReply {
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let message = "\(Self.secret)_\(method)_\(path)_\(body ?? "")_\(timestamp)"
        let signature = SHA256.hash(data: Array(message.utf8)).map { String(format: "%02x", $0) }.joined()
        let headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("x-client-id", Self.client), ("x-timestamp", timestamp), ("x-signature", signature),
        ]
        return try await transport.send(HTTPCall(method: method, url: base + path, headers: headers, body: body.map { Array($0.utf8) }))
    }
}

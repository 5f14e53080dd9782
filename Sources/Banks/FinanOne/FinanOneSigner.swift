import Crypto
import Foundation
import PlanModel
import Reconciler

/// Finan One's request signature: lowercase hex SHA-256 (not HMAC) of `secret_METHOD_path_payload_timestamp`.
///
/// `path` starts at `/api/v1/...` (no `/open` prefix) and carries the query exactly as sent;
/// `payload` is the exact compact body sent, or empty for GET and DELETE.
struct FinanOneSigner: RequestSigner {
    /// The base URL the signed path is measured from.
    let basePath: String
    let clientID: String
    let secretKey: Sensitive
    let now: @Sendable () -> Date

    static func signature(secret: String, method: String, path: String, payload: [UInt8], timestamp: String) -> String {
        var message = Array("\(secret)_\(method.uppercased())_\(path)_".utf8)
        message += payload
        message += Array("_\(timestamp)".utf8)
        return SHA256.hex(message)
    }

    func sign(_ call: HTTPCall) throws -> HTTPCall {
        let timestamp = String(Int(now().timeIntervalSince1970))
        let path = call.url.hasPrefix(basePath) ? String(call.url.dropFirst(basePath.count)) : call.url
        let signature = Self.signature(
            secret: secretKey.revealed, method: call.method, path: path, payload: call.body ?? [], timestamp: timestamp)
        var signed = call
        signed.headers = [
            ("Content-Type", "application/json"), ("Accept", "application/json"),
            ("x-client-id", clientID), ("x-timestamp", timestamp), ("x-signature", signature),
        ]
        return signed
    }
}

import Crypto

/// Finan One's request signature: lowercase hex SHA-256 (not HMAC) of `secret_METHOD_path_payload_timestamp`.
///
/// `path` starts at `/api/v1/...` (no `/open` prefix) and carries the query exactly as sent;
/// `payload` is the exact compact body sent, or empty for GET and DELETE.
public enum FinanOneSigner {
    public static func signature(secret: String, method: String, path: String, payload: [UInt8], timestamp: String) -> String {
        var message = Array("\(secret)_\(method.uppercased())_\(path)_".utf8)
        message += payload
        message += Array("_\(timestamp)".utf8)
        return SHA256.hex(message)
    }
}

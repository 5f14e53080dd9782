import Crypto
import Foundation

/// How Finan One checks a request, as its reference documents it.
enum FinanSignature {
    /// Lowercase hex SHA-256 of `secret_METHOD_path_payload_timestamp`.
    static func expected(secret: String, method: String, path: String, payload: [UInt8], timestamp: String) -> String {
        var message = Array("\(secret)_\(method)_\(path)_".utf8)
        message.append(contentsOf: payload)
        message.append(contentsOf: Array("_\(timestamp)".utf8))
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in SHA256.hash(data: message) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The payload a body is verified against: its compact form, or the bytes as received when it is not JSON.
    ///
    /// Falling back keeps a malformed body reachable by the body validation (400) instead of failing as a bad signature.
    static func payload(method: String, body: [UInt8]) -> [UInt8] {
        if method == "GET" || method == "DELETE" { return [] }
        guard (try? JSONSerialization.jsonObject(with: Data(body), options: .fragmentsAllowed)) != nil else { return body }
        return compact(body)
    }

    /// Go's json.Compact: white space outside strings dropped; key order and escapes kept.
    static func compact(_ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var inString = false
        var escaped = false
        for byte in body {
            if inString {
                out.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                out.append(byte)
            } else if byte != 0x20 && byte != 0x09 && byte != 0x0a && byte != 0x0d {
                out.append(byte)
            }
        }
        return out
    }
}

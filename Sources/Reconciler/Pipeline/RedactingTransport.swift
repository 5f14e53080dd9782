import Foundation

/// Blanks out, in an error answer, every credential the call carried (a signature, a key, a bearer token), so a
/// bank that echoes one in its error text cannot put it into an error message, a log or the journal.
///
/// It sits below the signer and the token layer, so it sees the headers exactly as they went out.
public struct RedactingTransport: HTTPTransport {
    public let base: any HTTPTransport

    public init(_ base: any HTTPTransport) {
        self.base = base
    }

    /// Headers that carry no credential.
    static let harmless: Set<String> = ["content-type", "accept", "content-length", "host", "user-agent", "x-timestamp", "x-locale"]

    public func send(_ call: HTTPCall) async throws -> HTTPReply {
        var reply = try await base.send(call)
        guard !(200..<300).contains(reply.status), !reply.body.isEmpty else { return reply }
        var text = String(decoding: reply.body, as: UTF8.self)
        for secret in Self.credentials(in: call) where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: "(redacted)")
        }
        reply.body = Array(text.utf8)
        return reply
    }

    /// The credential values of a call: whole header values, and the token after an auth scheme; longest first.
    static func credentials(in call: HTTPCall) -> [String] {
        var values: Set<String> = []
        for header in call.headers where !harmless.contains(header.name.lowercased()) {
            if header.value.count >= 8 { values.insert(header.value) }
            if let token = header.value.split(separator: " ").last, token.count >= 8 { values.insert(String(token)) }
        }
        return values.sorted { $0.count > $1.count }
    }
}

import Foundation
import PlanModel

/// Blanks out, in an error answer, every credential the call carried (a signature, a key, a bearer token, the secret
/// inside Basic authentication) in any of the forms a `SecretScrubber` knows (Base64, percent-encoded, another case),
/// and every secret the process holds, so a bank that echoes one in its error text cannot put it into an error
/// message, a log or the journal. The secret half of Basic credentials is taught to the process's scrubber.
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
        Self.basicCredentials(in: call).forEach(SecretScrubber.process.learn)
        var reply = try await base.send(call)
        guard !(200..<300).contains(reply.status), !reply.body.isEmpty else { return reply }
        let sent = SecretScrubber()
        Self.credentials(in: call).forEach(sent.learn)
        let text = String(decoding: reply.body, as: UTF8.self)
        let scrubbed = SecretScrubber.process.scrub(sent.scrub(text))
        if scrubbed != text { reply.body = Array(scrubbed.utf8) }
        return reply
    }

    /// What `Authorization: Basic` carries: the decoded `id:secret` and the secret after the first colon.
    static func basicCredentials(in call: HTTPCall) -> [String] {
        guard let value = call.header("authorization"), value.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(value.dropFirst(6)).trimmingCharacters(in: .whitespaces)) else { return [] }
        let pair = String(decoding: data, as: UTF8.self)
        guard let colon = pair.firstIndex(of: ":") else { return [pair] }
        return [pair, String(pair[pair.index(after: colon)...])]
    }

    /// The credential values of a call: whole header values, and the token after an auth scheme; longest first.
    static func credentials(in call: HTTPCall) -> [String] {
        var values: Set<String> = []
        for header in call.headers where !harmless.contains(header.name.lowercased()) {
            if header.value.count >= 8 { values.insert(header.value) }
            if let token = header.value.split(separator: " ").last, token.count >= 8 { values.insert(String(token)) }
        }
        values.formUnion(basicCredentials(in: call))
        return values.sorted { $0.count > $1.count }
    }
}

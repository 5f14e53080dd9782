/// Turns request bodies into what the bank's gateway reads (e.g. an encrypted envelope) and answers back.
public protocol PayloadCodec: Sendable {
    /// The call as it goes on the wire; called for every attempt, so each may use a fresh key.
    func encode(_ call: HTTPCall) throws -> HTTPCall
    /// The answer as the client reads it.
    func decode(_ reply: HTTPReply) throws -> HTTPReply
}

/// Encodes every attempt's body and decodes every answer with its codec.
public struct CodecTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let codec: any PayloadCodec

    public init(_ base: any HTTPTransport, codec: any PayloadCodec) {
        self.base = base
        self.codec = codec
    }

    public func send(_ call: HTTPCall) async throws -> HTTPReply {
        try codec.decode(try await base.send(codec.encode(call)))
    }
}

/// Signs a call just before it leaves, so a wait for a rate-limit token or a retry never sends a stale signature.
public protocol RequestSigner: Sendable {
    /// The call with the bank's authentication headers added; the body is signed exactly as it is sent.
    func sign(_ call: HTTPCall) throws -> HTTPCall
}

/// Signs every attempt with its signer, then hands it to the transport below.
public struct SigningTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let signer: any RequestSigner

    public init(_ base: any HTTPTransport, signer: any RequestSigner) {
        self.base = base
        self.signer = signer
    }

    public func send(_ call: HTTPCall) async throws -> HTTPReply {
        try await base.send(signer.sign(call))
    }
}

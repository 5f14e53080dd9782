import HTTPTypes
import Hummingbird
import NIOCore

/// Injects `SandboxFaults` into the requests of one bank's route group.
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    let faults: SandboxFaults
    let dice: FaultDice

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
        switch faults.fault(for: dice.roll()) {
        case .serverError?:
            return Self.answer(.serviceUnavailable, #"{"message":"simulated server error (sandbox fault)"}"#)
        case .rateLimited?:
            var response = Self.answer(.tooManyRequests, #"{"message":"simulated rate limit (sandbox fault)"}"#)
            response.headers[.retryAfter] = "1"
            return response
        case .redirect?:
            var response = Self.answer(.temporaryRedirect, "")
            response.headers[.location] = "http://127.0.0.2:9/elsewhere" + request.uri.path
            return response
        case .drop?:
            _ = try await next(request, context)
            return Self.answer(.gatewayTimeout, #"{"message":"simulated lost answer after the change was made (sandbox fault)"}"#)
        case .late?:
            return try await dice.holding {
                try await Task.sleep(for: faults.lateDelay)
                return try await next(request, context)
            }
        case .slow?:
            return try await trickled(try await next(request, context))
        case nil:
            return try await next(request, context)
        }
    }

    /// The answer with its body sent one byte every `slowDelay`.
    func trickled(_ response: Response) async throws -> Response {
        let delay = faults.slowDelay
        let original = response.body
        var slow = response
        slow.headers[.contentLength] = nil
        slow.body = ResponseBody { writer in
            try await original.write(TricklingWriter(inner: writer, delay: delay))
        }
        return slow
    }

    static func answer(_ status: HTTPResponse.Status, _ json: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}

/// Passes a body on one byte at a time, with a pause after each.
struct TricklingWriter: ResponseBodyWriter {
    var inner: any ResponseBodyWriter
    let delay: Duration

    mutating func write(_ buffer: ByteBuffer) async throws {
        for byte in buffer.readableBytesView {
            try await inner.write(ByteBuffer(bytes: [byte]))
            try await Task.sleep(for: delay)
        }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await inner.finish(trailingHeaders)
    }
}

import Foundation
import Hummingbird

/// Finan One's request authentication, run before every route under its mount, unknown endpoints included.
///
/// Checks the `x-client-id`, `x-timestamp` and `x-signature` headers, the ±30 s clock window, the client, and the
/// signature over the exact raw path and query below the mount; a failure is 401, code 104000.
struct FinanAuthentication<Context: RequestContext>: RouterMiddleware {
    let simulator: FinanSimulator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let simulated = try await SimulatedRequest(&request, mount: FinanSimulator.mount)
        if let failure = await simulator.authenticate(simulated) {
            return Response(failure, to: request.method)
        }
        return try await next(request, context)
    }
}

extension FinanSimulator {
    /// Why `request` is not authenticated, as Finan answers it; nil when it is.
    func authenticate(_ request: SimulatedRequest) async -> SimulatedResponse? {
        let reply = Reply(request)
        for header in ["x-client-id", "x-timestamp", "x-signature"] where (request.headers[header] ?? "").isEmpty {
            return reply.failure(401, code: 104000, error: "Missing header \(header)")
        }
        let serverTime = Int(now().timeIntervalSince1970)
        guard let timestamp = Int(request.headers["x-timestamp"]!) else {
            return reply.failure(401, code: 104000, error: "Invalid x-timestamp: must be Unix seconds")
        }
        let (difference, overflow) = serverTime.subtractingReportingOverflow(timestamp)
        guard !overflow, difference.magnitude <= UInt(Self.clockWindow) else {
            return reply.failure(401, code: 104000, error: "Timestamp outside the 30-second window (server time \(serverTime))")
        }
        guard let secret = await world.secret(for: request.headers["x-client-id"]!) else {
            return reply.failure(401, code: 104000, error: "Unknown client id")
        }
        let signedPath = request.path + (request.rawQuery.map { "?" + $0 } ?? "")
        let payload = FinanSignature.payload(method: request.method, body: request.body)
        let expected = FinanSignature.expected(
            secret: secret, method: request.method, path: signedPath, payload: payload, timestamp: request.headers["x-timestamp"]!)
        guard request.headers["x-signature"]!.lowercased() == expected else {
            return reply.failure(401, code: 104000, error: "Invalid signature")
        }
        return nil
    }
}

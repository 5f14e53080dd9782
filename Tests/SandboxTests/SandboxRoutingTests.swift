import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import Sandbox

/// What the router answers that no bank route takes.
///
/// Paths outside every mount, paths between routes, wrong methods, empty path components, HEAD.
@Suite("Sandbox routing")
struct SandboxRoutingTests {
    static let notFound = #"{"code":404,"message":"Resource not found"}"#

    @Test(
        "a path outside every mount is the router's plain 404",
        arguments: [
            "/", "/finan", "/finanx/open", "/finan/openx/api", "/sepayx/v1/token", "//sepay/v1/token", "/finan//open/api/v1/bank-accounts",
        ])
    func outsideEveryMount(path: String) async throws {
        try await SandboxTransport.inProcess(SandboxConfiguration()) { transport in
            let answer = try await transport.send(.POST, path, headers: [], body: nil)
            #expect(answer.status == 404, "\(path)")
            #expect(answer.headers.first(name: "content-type")?.hasPrefix("application/json") != true, "\(path)")
        }
    }

    @Test(
        "Finan authenticates, then answers its own 404 for the mount itself and the paths between its routes",
        arguments: ["", "/api", "/api/v1"])
    func finanBetweenRoutes(path: String) async throws {
        try await FinanHarness.inProcess { sandbox in
            let unsigned = try await sandbox.call(.GET, path, omit: "x-signature")
            #expect(unsigned.status == 401)
            #expect(unsigned.error == "Missing header x-signature")
            // The mount itself is `/` below it, and is signed so.
            let below = path.isEmpty ? "/" : path
            let signature = TestSigner.signature(
                secret: FinanHarness.secret, method: "GET", path: below, payload: "", timestamp: FinanHarness.timestamp)
            let reply = try await sandbox.call(.GET, path, signature: signature)
            #expect(reply.status == 404)
            #expect(reply.code == 104004)
            #expect(reply.error == "No such endpoint: GET \(below)")
        }
    }

    @Test("Finan answers any method it has no route for with its 404 envelope", arguments: [HTTPMethod.PATCH, .OPTIONS, .PUT])
    func finanOtherMethods(method: HTTPMethod) async throws {
        try await FinanHarness.inProcess { sandbox in
            let reply = try await sandbox.call(method, "/api/v1/master-bank-accounts", body: "{}")
            #expect(reply.status == 404)
            #expect(reply.error == "No such endpoint: \(method.rawValue) /api/v1/master-bank-accounts")
        }
    }

    @Test("a HEAD request gets the answer's status and headers without its body")
    func headHasNoBody() async throws {
        try await SandboxTransport.inProcess(SandboxConfiguration()) { transport in
            let finan = try await transport.send(.HEAD, "/finan/open/api/v1/master-bank-accounts", headers: [], body: nil)
            #expect(finan.status == 401)
            #expect(finan.headers.first(name: "content-type") == "application/json; charset=utf-8")
            #expect(finan.body.readableBytes == 0)
            for (path, status) in [("/sepay/v1/token", 405), ("/sepay/logos/none.png", 404), ("/sepay/v1/nothing", 404)] {
                let sepay = try await transport.send(.HEAD, path, headers: [], body: nil)
                #expect(sepay.status == status, "\(path)")
                #expect(sepay.headers.first(name: "content-type") == "application/json", "\(path)")
                #expect(sepay.body.readableBytes == 0, "\(path)")
            }
        }
    }

    @Test(
        "SePay answers its own 404 JSON for the mount itself and the paths between its routes",
        arguments: ["", "/", "/v1", "/v1/link-token", "/logos"])
    func sepayBetweenRoutes(path: String) async throws {
        try await SePayHarness.inProcess { sepay in
            let reply = try await sepay.call(.GET, path)
            #expect(reply.status == 404, "\(path)")
            #expect(reply.isJSON(Self.notFound), "\(reply.raw)")
        }
    }

    @Test("SePay answers 405 with Allow for any other method on a known path", arguments: [
        (HTTPMethod.PATCH, "/v1/company", "GET"), (.OPTIONS, "/v1/webhook", "GET, POST"), (.PUT, "/v1/company/create", "POST"),
        (.DELETE, "/hosted/\(UUID().uuidString)", "GET"), (.GET, "/hosted/x/complete", "POST"), (.POST, "/logos/x.png", "GET"),
    ])
    func sepayOtherMethods(method: HTTPMethod, path: String, allow: String) async throws {
        try await SePayHarness.inProcess { sepay in
            let reply = try await sepay.call(method, path)
            #expect(reply.status == 405, "\(path)")
            #expect(reply.header("allow") == allow, "\(path)")
            #expect(reply.isJSON(#"{"code":405,"message":"Method not allowed"}"#), "\(reply.raw)")
        }
    }

    @Test("a path that stops at a constant beside a capture is the capture's route: /v1/company/edit is a company xid")
    func constantBesideCapture() async throws {
        try await SePayHarness.inProcess { sepay in
            #expect(try await sepay.call(.GET, "/v1/company/edit").status == 401)
            let wrongMethod = try await sepay.call(.POST, "/v1/company/counter")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("allow") == "GET")
            let detail = try await sepay.call(.GET, "/v1/company/edit", bearer: try await sepay.token())
            #expect(detail.status == 404)
            #expect(detail.isJSON(Self.notFound), "\(detail.raw)")
        }
    }

    @Test(
        "anything else below /sepay/hosted is the Hosted Link's own 404 page",
        arguments: ["/hosted", "/hosted/x/y/z", "/hosted/x/other", "/hosted/x/"])
    func unknownHostedPaths(path: String) async throws {
        try await SePayHarness.inProcess { sepay in
            let page = try await sepay.call(.GET, path)
            #expect(page.status == 404, "\(path)")
            #expect(page.header("content-type") == "text/html; charset=utf-8", "\(path)")
            let json = try await sepay.call(.GET, path, headers: [("Accept", "application/json")])
            #expect(json.isJSON(Self.notFound), "\(json.raw)")
        }
    }

    @Test("an empty path component is no SePay route: 404, whatever the method", arguments: [
        (HTTPMethod.GET, "/v1//company"), (.GET, "//v1/company"), (.GET, "/v1/company/"), (.DELETE, "/v1/webhook/"),
    ])
    func sepayEmptyComponents(method: HTTPMethod, path: String) async throws {
        try await SePayHarness.inProcess { sepay in
            let token = try await sepay.token()
            let reply = try await sepay.call(method, path, bearer: token)
            #expect(reply.status == 404, "\(path)")
            #expect(reply.isJSON(Self.notFound), "\(reply.raw)")
        }
    }

    @Test("the registry mounts each simulator once, at its own path, with its own seed section and world file")
    func registry() {
        let mounts = SimulatorRegistry.all.map { $0.mount }
        #expect(mounts == ["/finan/open", "/sepay", "/vietinbank", "/icici"])
        #expect(SimulatorRegistry.all.map { $0.worldFileName } == ["finan.json", "sepay.json", "vietinbank.json", "icici.json"])
        #expect(SimulatorRegistry.seedSections == ["finan", "sepay", "vietinbank", "icici"])
    }
}

import Banks
import PlanModel
import Crypto
import Foundation
import Reconciler
import Synchronization

/// A Finan-compatible server written apart from the client and the sandbox, in the legacy style:
/// `id` instead of `account_id`, HTTP 201 with a one-element array for creates, full account numbers,
/// `master_account_id` on list items, a `meta` block. It checks every header, the clock, the signature
/// over the compacted body and the literal query, and Content-Type on POST.
final class StrictFinanServer: HTTPTransport {
    struct World {
        var accounts: [[String: Any]] = []
        var posts = 0
        var rejections: [String] = []
    }

    let clientID = "strict-client"
    let secret = "strict-secret"
    let masterID = "8f0c1d8e-0000-4000-8000-000000000001"
    let world = Mutex<World>(World())

    var posts: Int { world.withLock { $0.posts } }
    var rejections: [String] { world.withLock { $0.rejections } }

    func send(_ call: HTTPCall) async throws -> HTTPReply {
        let call = call
        let prefix = "https://strict.example/open"
        guard call.url.hasPrefix(prefix) else { return reply(404, code: 104004, error: "no route") }
        let signedPath = String(call.url.dropFirst(prefix.count))
        let header = { (name: String) in call.headers.first { $0.name.lowercased() == name }?.value }
        guard let client = header("x-client-id"), let timestamp = header("x-timestamp"), let signature = header("x-signature") else {
            return reject("missing auth header")
        }
        guard client == clientID else { return reject("unknown client") }
        guard let seconds = Int(timestamp), abs(Date().timeIntervalSince1970 - Double(seconds)) <= 30 else { return reject("clock") }
        let body = call.body ?? []
        let compact = call.method == "GET" ? "" : Self.compact(String(decoding: body, as: UTF8.self))
        let digest = SHA256.hash(data: Array("\(secret)_\(call.method)_\(signedPath)_\(compact)_\(timestamp)".utf8))
        guard signature == digest.map({ String(format: "%02x", $0) }).joined() else { return reject("Invalid signature") }

        let path = signedPath.split(separator: "?", maxSplits: 1).first.map(String.init) ?? signedPath
        switch (call.method, path) {
        case ("GET", "/api/v1/master-bank-accounts"):
            return ok(200, [["id": masterID, "account_number": "0933450210", "account_name": "STRICT CO", "bank_code": "SHBVN", "is_active": true]])
        case ("GET", "/api/v1/bank-accounts"):
            return ok(200, world.withLock { $0.accounts })
        case ("POST", "/api/v1/bank-accounts"):
            guard header("content-type")?.hasPrefix("application/json") == true else { return reject("content type", status: 400) }
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                  let master = object["master_account_id"] as? String, let name = object["account_name"] as? String, !name.isEmpty
            else { return reject("validation", status: 422) }
            guard master == masterID else { return reject("Master account does not exist", status: 404) }
            let account: [String: Any]? = world.withLock { world in
                world.posts += 1
                if world.accounts.contains(where: { ($0["account_name"] as? String)?.uppercased() == name.uppercased() }) { return nil }
                let created: [String: Any] = [
                    "id": UUID().uuidString.lowercased(), "account_name": name, "account_number": "1AM00211000\(world.accounts.count + 100)",
                    "bank_code": "SHBVN", "master_account_id": master, "master_account_name": "STRICT CO", "currency_code": "704",
                ]
                world.accounts.append(created)
                return created
            }
            guard let account else { return reply(400, code: 224016, error: "Bank account already exists") }
            return ok(201, [account], code: 102001)
        default:
            return reply(404, code: 104004, error: "no route")
        }
    }

    func reject(_ why: String, status: Int = 401) -> HTTPReply {
        world.withLock { $0.rejections.append(why) }
        return reply(status, code: status == 401 ? 104001 : 104000, error: why)
    }

    func ok(_ status: Int, _ data: Any, code: Int = 102000) -> HTTPReply {
        let envelope: [String: Any] = ["message": ["content": "ok", "params": []], "code": code, "request_id": UUID().uuidString, "data": data, "meta": [:]]
        return HTTPReply(status: status, body: Array((try? JSONSerialization.data(withJSONObject: envelope)) ?? Data()))
    }

    func reply(_ status: Int, code: Int, error: String) -> HTTPReply {
        let envelope: [String: Any] = ["message": ["content": "fail", "error": error], "code": code, "request_id": "strict-\(code)"]
        return HTTPReply(status: status, body: Array((try? JSONSerialization.data(withJSONObject: envelope)) ?? Data()))
    }

    /// Whitespace outside JSON strings removed, everything else kept.
    static func compact(_ text: String) -> String {
        var output = ""
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                output.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
                output.append(character)
            } else if !character.isWhitespace {
                output.append(character)
            }
        }
        return output
    }
}

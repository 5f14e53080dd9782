import Crypto
import Foundation
import Reconciler
import Synchronization
import _CryptoExtras

/// A VietinBank ERP gateway written apart from the client and the sandbox, from the public ERP integrations alone
/// (`providers/public-evidence.md`): statement register is signed, SHA256withRSA, over `requestId, providerId,
/// merchantId, agencyType, account, notifyType, cronExpress, transTime, channel, version, clientIP, language`, values
/// concatenated with empty ones skipped; `outputFolder` is sent but not signed. It checks the gateway headers, the
/// common ERP fields (`model`, `transTime` as `yyyyMMddHHmmss`, `channel`, `version`, `clientIP`, `language`), the
/// request id and the signature, and answers `status.code` `1`, or `01` for a signature it cannot verify.
final class StrictVietinStatementServer: HTTPTransport {
    static let base = "https://api-uat.vietinbank.vn/vtb-api-uat/development"
    static let signed = [
        "requestId", "providerId", "merchantId", "agencyType", "account", "notifyType", "cronExpress", "transTime", "channel", "version",
        "clientIP", "language",
    ]
    static let common = ["model", "transTime", "channel", "version", "clientIP", "language"]

    struct World {
        var accepted: [[String: String]] = []
        var refusals: [String] = []
    }

    let clientID = "strict-app"
    let clientSecret = "strict-app-secret"
    let partnerKey: _RSA.Signing.PublicKey
    let world = Mutex(World())

    init(partnerKey: _RSA.Signing.PublicKey) {
        self.partnerKey = partnerKey
    }

    var accepted: [[String: String]] { world.withLock { $0.accepted } }
    var refusals: [String] { world.withLock { $0.refusals } }

    func send(_ call: HTTPCall) async throws -> HTTPReply {
        let call = call
        guard call.method == "POST", call.url == Self.base + "/erp/v1/statement/register" else {
            return Self.reply(404, ["httpCode": "404", "httpMessage": "Not Found", "moreInformation": "No resources match requested URI"])
        }
        guard call.header("X-IBM-Client-Id") == clientID, call.header("X-IBM-Client-Secret") == clientSecret else {
            return Self.reply(401, ["httpCode": "401", "httpMessage": "Unauthorized", "moreInformation": "Invalid client id or secret."])
        }
        guard call.header("Content-Type")?.hasPrefix("application/json") == true,
              let body = (try? JSONSerialization.jsonObject(with: Data(call.body ?? []))) as? [String: Any]
        else { return Self.reply(400, ["httpCode": "400", "httpMessage": "Bad Request", "moreInformation": "JSON body expected"]) }
        let fields = body.compactMapValues { $0 as? String }
        if let missing = Self.common.first(where: { fields[$0] == nil }) { return refuse(body, "02", "\(missing) is required") }
        guard let time = fields["transTime"], time.count == 14, time.allSatisfy(\.isNumber) else { return refuse(body, "02", "transTime is yyyyMMddHHmmss") }
        guard let requestID = fields["requestId"], !requestID.isEmpty, requestID.count <= 30 else { return refuse(body, "02", "requestId") }
        let text = Self.signed.compactMap { fields[$0] }.joined()
        guard let signature = fields["signature"].flatMap({ Data(base64Encoded: $0) }),
              partnerKey.isValidSignature(
                  _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: Data(text.utf8)), padding: .insecurePKCS1v1_5)
        else { return refuse(body, "01", "Invalid signature") }
        world.withLock { $0.accepted.append(fields) }
        return Self.reply(200, Self.envelope(body, code: "1", message: "Success"))
    }

    func refuse(_ body: [String: Any], _ code: String, _ message: String) -> HTTPReply {
        world.withLock { $0.refusals.append("\(code) \(message)") }
        return Self.reply(200, Self.envelope(body, code: code, message: message))
    }

    static func envelope(_ body: [String: Any], code: String, message: String) -> [String: Any] {
        var answer: [String: Any] = ["status": ["code": code, "message": message]]
        for field in ["requestId", "providerId", "merchantId"] { answer[field] = body[field] as? String ?? "" }
        return answer
    }

    static func reply(_ status: Int, _ object: [String: Any]) -> HTTPReply {
        HTTPReply(status: status, headers: [("Content-Type", "application/json")], body: Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data()))
    }
}

import Foundation
import Hummingbird
import _CryptoExtras

/// ICICI Bank API Banking as its reference documents it, mounted under `/icici`: the Apigee gateway (the `apikey`
/// header, the application's API selection on the Sandbox plan, envelope validation and decryption with the
/// documented codes), the CIB registration backend, encrypted answers, and a sandbox-only operator surface under
/// `/icici/sandbox/...` that plays the portal and the corporate user.
struct ICICISimulator: BankSimulator {
    static let mount = "/icici"
    static let seedSection = "icici"
    static let worldFileName = "icici.json"
    static let defaultSeed = ICICISeed.defaults
    /// The plan this gateway serves: the sandbox is ICICI's sandbox environment.
    static let gatewayPlan = "Sandbox"

    let world: ICICIWorld
    let key: ICICIBankKey

    init(seed: ICICISeed, worldFile: URL?, configuration: SandboxConfiguration) throws {
        world = try ICICIWorld(file: worldFile, seed: seed)
        key = ICICIBankKey(folder: worldFile?.deletingLastPathComponent())
    }

    static func seed(from section: Any) throws -> ICICISeed {
        try ICICISeed.read(section)
    }

    func startupNotes() async -> [String] {
        guard let pem = try? await key.publicPEM() else { return [] }
        let file = await key.publicFile.map { " (also in \($0.path))" } ?? ""
        return ["ICICI API Banking decrypts requests with this key; give it as bank_certificate\(file):\n" + pem]
    }

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        SimulatorRoutes.register(on: group, mount: Self.mount, unmatched: Self.unmatched) { routes in
            for path in Set(ICICIPortalCatalogue.apis.values).sorted() {
                routes.post(String(path.dropFirst()), answering { await gateway(path, $0) })
            }
            addOperatorRoutes(to: routes)
        }
    }

    static func unmatched(_ request: SimulatedRequest, allowed _: [String]) -> SimulatedResponse {
        respond(.gateway(404, "8014", "Bad URL: no API at \(request.path)"))
    }

    static func respond(_ answer: ICICIAnswer) -> SimulatedResponse {
        SimulatedResponse(status: answer.status, headers: [("Content-Type", answer.contentType)], body: answer.body)
    }

    func answering(_ handler: @escaping @Sendable (SimulatedRequest) async -> ICICIAnswer) -> SimulatorRoutes.Handler {
        { request in Self.respond(await handler(request)) }
    }

    /// The gateway in front of an API: key and selection, then decryption, then the backend; the answer encrypted.
    func gateway(_ path: String, _ request: SimulatedRequest) async -> ICICIAnswer {
        if let refusal = await world.admit(apikey: request.headers["apikey"], api: ICICIPortalCatalogue.api(at: path), gatewayPlan: Self.gatewayPlan) {
            return refusal
        }
        let asymmetric = request.headers["content-type"]?.lowercased().hasPrefix("text/plain") == true
        guard let bankKey = try? await key.privateKey() else { return .gateway(500, "8010", "The sandbox has no bank key") }
        let opened: (payload: [String: Any], algorithm: String)
        do throws(ICICICipher.Refusal) {
            opened = asymmetric ? try ICICICipher.openAsymmetric(request.body, key: bankKey) : try ICICICipher.openEnvelope(request.body, key: bankKey)
        } catch {
            return .gateway(400, error.code, error.message)
        }
        let answer = await backend(path, opened.payload.compactMapValues { $0 as? String }).object
        guard let pem = await world.clientKey(), let clientKey = ICICICipher.publicKey(pem) else {
            return .gateway(500, "8019", "Response encryption failure: no client certificate is registered (POST /icici/sandbox/client-certificate)")
        }
        do {
            if asymmetric {
                return ICICIAnswer(status: 200, body: try ICICICipher.sealAsymmetric(answer, to: clientKey, algorithm: opened.algorithm), contentType: "text/plain")
            }
            return .json(200, try ICICICipher.sealEnvelope(answer, to: clientKey, algorithm: opened.algorithm))
        } catch {
            return .gateway(500, "8019", "Response encryption failure: \(error)")
        }
    }

    /// The backend behind the gateway: CIB registration; other APIs answer that only their gateway is simulated.
    func backend(_ path: String, _ payload: [String: String]) async -> ICICIBackendAnswer {
        switch path {
        case ICICIPortalCatalogue.cib + "Registration": await world.register(payload)
        case ICICIPortalCatalogue.cib + "RegistrationStatus": await world.status(payload)
        case ICICIPortalCatalogue.cib + "Deregistration": await world.deregister(payload)
        default: ICICIBackendAnswer(["RESPONSE": "Failure", "Message": "\(path) is not simulated; only its gateway is", "ResponseCode": "8099"])
        }
    }
}

/// A backend's answer before encryption: string fields only.
struct ICICIBackendAnswer: Sendable {
    var fields: [String: String]

    init(_ fields: [String: String]) {
        self.fields = fields
    }

    var object: [String: Any] { fields }
}

extension ICICIWorld {
    static let pending = "Pending for Self Approval"
    /// Statuses that end a registration, in the forms public sources show: it never turns `Registered` again.
    static let rejected = "REJECTED"
    static let deregistered = "Deregistered"

    /// The user's registration that is pending or registered.
    func registration(_ payload: [String: String]) -> Registration? {
        latest(payload).flatMap { Self.hasEnded($0.status) ? nil : $0 }
    }

    /// The user's latest registration, whatever its status.
    func latest(_ payload: [String: String]) -> Registration? {
        snapshot.registrations.last { $0.corpID == payload["CORPID"] && $0.userID == payload["USERID"] && $0.aggrID == payload["AGGRID"] }
    }

    static func hasEnded(_ status: String) -> Bool {
        [rejected, deregistered].contains { $0.caseInsensitiveCompare(status) == .orderedSame }
    }

    /// `Registration`: pending for the corporate user's self approval; a second one for the same user is a duplicate.
    func register(_ payload: [String: String]) -> ICICIBackendAnswer {
        let field = { (name: String) in payload[name] ?? "" }
        guard ["AGGRNAME", "AGGRID", "CORPID", "USERID", "URN"].allSatisfy({ !field($0).isEmpty }) else {
            return ICICIBackendAnswer(["Response": "Failure", "Message": "AGGRNAME, AGGRID, CORPID, USERID and URN are required", "ResponseCode": "9906"])
        }
        if registration(payload) != nil { return ICICIBackendAnswer(["Response": "Failure", "Message": "REGISTRATION FAILED.CORPORATE ALREADY REGISTERED."]) }
        let made = Registration(
            corpID: field("CORPID"), userID: field("USERID"), aggrID: field("AGGRID"), aggrName: field("AGGRNAME"), urn: field("URN"),
            aliasID: payload["ALIASID"], status: Self.pending)
        let saved = mutate { world in
            world.registrations.append(made)
            return .json(200, [:])
        }
        guard saved.status == 200 else { return ICICIBackendAnswer(["Response": "Failure", "Message": "The sandbox could not save its world", "ResponseCode": "995109"]) }
        return ICICIBackendAnswer(["Response": "SUCCESS", "Message": "User details are saved successfully and pending for self approval.",
                "CORP_ID": made.corpID, "USER_ID": made.userID, "AGGR_ID": made.aggrID, "AGGR_NAME": made.aggrName, "URN": made.urn])
    }

    /// `RegistrationStatus`: the latest registration's status, an ended one included.
    func status(_ payload: [String: String]) -> ICICIBackendAnswer {
        guard let found = latest(payload) else {
            return ICICIBackendAnswer(["RESPONSE": "Failure", "Message": "Customer not registered", "ResponseCode": "999032"])
        }
        return ICICIBackendAnswer(["Status": found.status, "ResponseCode": "0000", "RESPONSE": "Success"])
    }

    func deregister(_ payload: [String: String]) -> ICICIBackendAnswer {
        guard registration(payload) != nil else {
            return ICICIBackendAnswer(["Response": "Failure", "Message": "Customer not registered", "ResponseCode": "999032"])
        }
        _ = mutate { world in
            for index in world.registrations.indices where world.registrations[index].corpID == payload["CORPID"]
                && world.registrations[index].userID == payload["USERID"] && world.registrations[index].aggrID == payload["AGGRID"] {
                world.registrations[index].status = Self.deregistered
            }
            return .json(200, [:])
        }
        return ICICIBackendAnswer(["Response": "SUCCESS", "Message": "Request Cancelled Successfully"])
    }
}

import Foundation

/// The sandbox-only operator surface under `/icici/sandbox/...`: it plays the developer portal (applications, API
/// selection on a plan, disabling), the key exchange (the bank's certificate, the client's public key) and the
/// corporate user (approving a CIB registration).
extension ICICISimulator {
    func addOperatorRoutes(to routes: SimulatorRoutes) {
        routes.post("sandbox/applications", answering { await world.createApplication(Self.object($0.body)) })
        routes.post("sandbox/applications/{key}/apis", answering { await world.select($0.parameter("key"), Self.object($0.body)) })
        routes.post("sandbox/applications/{key}/disable", answering { await world.disable($0.parameter("key")) })
        routes.post("sandbox/client-certificate", answering { await world.setClientKey(Self.object($0.body)) })
        routes.post("sandbox/cib/approve", answering { await world.decide(Self.object($0.body), to: "Registered") })
        routes.post("sandbox/cib/reject", answering { await world.decide(Self.object($0.body), to: ICICIWorld.rejected) })
        routes.get("sandbox/cib/registrations", answering { _ in await world.registrationsAnswer() })
        routes.get("sandbox/certificate", answering { _ in
            guard let pem = try? await key.publicPEM() else { return .gateway(500, "8010", "No bank key") }
            return ICICIAnswer(status: 200, body: Array(pem.utf8), contentType: "application/x-pem-file")
        })
    }

    static func object(_ body: [UInt8]) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:]
    }
}

extension ICICIWorld {
    /// Adds an application (its API key generated unless given) and answers with its key.
    func createApplication(_ body: [String: Any]) -> ICICIAnswer {
        guard let name = body["name"] as? String, !name.isEmpty else { return .json(400, ["error": "name is required"]) }
        let apikey = body["apikey"] as? String ?? UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        guard !snapshot.applications.contains(where: { $0.apikey == apikey }) else { return .json(409, ["error": "an application has key \(apikey)"]) }
        let app = Application(apikey: apikey, name: name, platform: body["platform"] as? String, apis: [:], disabled: false)
        return mutate { world in
            world.applications.append(app)
            return .json(201, Self.describe(app))
        }
    }

    /// Selects an API on a plan (default `Sandbox`) under the application's API Management.
    func select(_ apikey: String, _ body: [String: Any]) -> ICICIAnswer {
        let api = body["api"] as? String ?? "", plan = body["plan"] as? String ?? "Sandbox"
        guard ICICIPortalCatalogue.apis[api] != nil else {
            return .json(400, ["error": "unknown api \(api); known: \(ICICIPortalCatalogue.apis.keys.sorted().joined(separator: ", "))"])
        }
        guard ICICIPortalCatalogue.plans.contains(plan) else { return .json(400, ["error": "plan must be Sandbox or Production"]) }
        return changeApplication(apikey) { $0.apis[api] = plan }
    }

    func disable(_ apikey: String) -> ICICIAnswer {
        changeApplication(apikey) { $0.disabled = true }
    }

    func changeApplication(_ apikey: String, _ change: @escaping (inout Application) -> Void) -> ICICIAnswer {
        guard let index = snapshot.applications.firstIndex(where: { $0.apikey == apikey }) else {
            return .json(404, ["error": "no application with that key"])
        }
        return mutate { world in
            change(&world.applications[index])
            return .json(200, Self.describe(world.applications[index]))
        }
    }

    static func describe(_ app: Application) -> [String: Any] {
        var object: [String: Any] = ["apikey": app.apikey, "name": app.name, "apis": app.apis, "disabled": app.disabled]
        object["platform"] = app.platform
        return object
    }

    /// The client's public key (PEM), which ICICI encrypts its answers to.
    func setClientKey(_ body: [String: Any]) -> ICICIAnswer {
        guard let pem = body["public_key"] as? String, ICICICipher.publicKey(pem) != nil else {
            return .json(400, ["error": "public_key (a PEM RSA public key, BEGIN PUBLIC KEY) is required"])
        }
        return mutate { world in
            world.clientPublicKey = pem
            return .json(200, ["client_public_key": "set"])
        }
    }

    /// The corporate user approves (`Registered`) or rejects (`REJECTED`) a registration pending their self approval.
    func decide(_ body: [String: Any], to status: String) -> ICICIAnswer {
        let corp = body["CORPID"] as? String ?? "", user = body["USERID"] as? String ?? ""
        guard let index = snapshot.registrations.lastIndex(where: { $0.corpID == corp && $0.userID == user && $0.status == Self.pending }) else {
            return .json(404, ["error": "no registration of \(user) of \(corp) is pending self approval"])
        }
        return mutate { world in
            world.registrations[index].status = status
            return .json(200, ["CORPID": corp, "USERID": user, "Status": status])
        }
    }

    func registrationsAnswer() -> ICICIAnswer {
        .json(200, ["registrations": snapshot.registrations.map { registration -> [String: Any] in
            ["CORPID": registration.corpID, "USERID": registration.userID, "AGGRID": registration.aggrID, "URN": registration.urn, "Status": registration.status]
        }])
    }
}

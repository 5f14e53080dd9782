import Foundation

/// The sandbox-only operator surface under `/vietinbank/sandbox/...`: it plays the developer portal (applications,
/// subscriptions), the onboarding desk (partner keys) and the customer (approve or deny a consent).
extension VietinSimulator {
    func addOperatorRoutes(to routes: SimulatorRoutes) {
        routes.post("sandbox/applications", answering { await world.register(Self.object($0.body) ?? [:]) })
        routes.post("sandbox/applications/{client}/subscriptions", answering {
            await world.subscribe($0.parameter("client"), Self.object($0.body) ?? [:])
        })
        routes.on("sandbox/applications/{client}/subscriptions/{api}", method: .delete, answering {
            await world.unsubscribe($0.parameter("client"), api: $0.parameter("api"))
        })
        routes.post("sandbox/partners", answering { await world.addPartner(Self.object($0.body) ?? [:]) })
        routes.get("sandbox/statement-registrations", answering { _ in await world.registrationsAnswer() })
        routes.get("sandbox/certificate", answering { _ in
            guard let pem = try? await key.publicPEM() else { return .gateway(500, "Internal Server Error", "No signing key") }
            return VietinAnswer(status: 200, body: Array(pem.utf8), headers: [("Content-Type", "application/x-pem-file")])
        })
        routes.post("sandbox/consents/{id}/approve", answering { await world.decide($0.parameter("id"), approve: true, now: now()) })
        routes.post("sandbox/consents/{id}/deny", answering { await world.decide($0.parameter("id"), approve: false, now: now()) })
    }
}

extension VietinWorld {
    /// Creates an application (client id and secret generated unless given), or updates the one with that client id.
    func register(_ body: [String: Any]) -> VietinAnswer {
        guard let name = body["name"] as? String, !name.isEmpty else { return .json(400, ["error": "name is required"]) }
        let clientID = body["client_id"] as? String ?? UUID().uuidString.lowercased()
        let secret = body["client_secret"] as? String ?? UUID().uuidString.lowercased()
        return mutate { world in
            var app = world.applications.first { $0.clientID == clientID }
                ?? VietinSeed.Application(clientID: clientID, clientSecret: secret, name: name, subscriptions: [])
            app.name = name
            app.clientSecret = secret
            app.callbackURL = body["callback_url"] as? String ?? app.callbackURL
            world.applications.removeAll { $0.clientID == clientID }
            world.applications.append(app)
            return .json(201, Self.describe(app))
        }
    }

    func subscribe(_ clientID: String, _ body: [String: Any]) -> VietinAnswer {
        let api = body["api"] as? String ?? "", plan = body["plan"] as? String ?? ""
        guard VietinCatalogue.apis[api] != nil else {
            return .json(400, ["error": "unknown api \(api); known: \(VietinCatalogue.apis.keys.sorted().joined(separator: ", "))"])
        }
        guard VietinCatalogue.plans[plan] != nil else {
            return .json(400, ["error": "unknown plan \(plan); known: \(VietinCatalogue.plans.keys.sorted().joined(separator: ", "))"])
        }
        return changeApplication(clientID) { app in
            app.subscriptions = (app.subscriptions ?? []).filter { $0.api != api } + [VietinSeed.Subscription(api: api, plan: plan)]
        }
    }

    func unsubscribe(_ clientID: String, api: String) -> VietinAnswer {
        changeApplication(clientID) { app in app.subscriptions = (app.subscriptions ?? []).filter { $0.api != api } }
    }

    func changeApplication(_ clientID: String, _ change: @escaping (inout VietinSeed.Application) -> Void) -> VietinAnswer {
        guard snapshot.applications.contains(where: { $0.clientID == clientID }) else {
            return .json(404, ["error": "no application with client id \(clientID)"])
        }
        return mutate { world in
            let index = world.applications.firstIndex { $0.clientID == clientID }!
            change(&world.applications[index])
            return .json(200, Self.describe(world.applications[index]))
        }
    }

    static func describe(_ app: VietinSeed.Application) -> [String: Any] {
        var object: [String: Any] = ["client_id": app.clientID, "client_secret": app.clientSecret, "name": app.name]
        object["callback_url"] = app.callbackURL
        object["subscriptions"] = (app.subscriptions ?? []).map { ["api": $0.api, "plan": $0.plan] }
        return object
    }

    /// Adds (or replaces) a partner: `provider_id`, `merchant_id`, `public_key`, and optionally `signature_hash` and
    /// `accounts` in the seed file's form.
    func addPartner(_ body: [String: Any]) -> VietinAnswer {
        let data = (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
        guard let partner = try? JSONDecoder().decode(VietinSeed.Partner.self, from: data), !partner.providerID.isEmpty,
              !partner.merchantID.isEmpty, VietinSigning.publicKey(partner.publicKey) != nil,
              partner.signatureHash.map({ VietinHash(rawValue: $0.uppercased()) != nil }) ?? true
        else {
            return .json(400, ["error": "provider_id, merchant_id and public_key (a PEM RSA public key) are required; signature_hash is SHA256 or SHA1"])
        }
        return mutate { world in
            world.partners.removeAll { $0.providerID == partner.providerID && $0.merchantID == partner.merchantID }
            world.partners.append(partner)
            return .json(201, ["provider_id": partner.providerID, "merchant_id": partner.merchantID])
        }
    }

    func registrationsAnswer() -> VietinAnswer {
        .json(200, ["registrations": snapshot.registrations.map { registration -> [String: Any] in
            var object: [String: Any] = [
                "providerId": registration.providerID, "merchantId": registration.merchantID, "account": registration.account,
                "notifyType": registration.notifyType, "cronExpress": registration.cronExpress, "requestId": registration.requestID,
            ]
            object["outputFolder"] = registration.outputFolder
            return object
        }])
    }
}

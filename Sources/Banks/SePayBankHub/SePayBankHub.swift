import PlanModel
import Reconciler

/// SePay Bank Hub: companies, the event webhook and the merchant config by API; bank accounts linked by a person.
enum SePayBankHub {
    static let bank = Bank(
        schema: .sepayBankHub, sandboxMount: "/sepay", settings: SePayBankHubSettings.self,
        client: { settings, connection in SePayBankHubClient(settings, connection: connection) },
        kinds: [
            KindRegistration(.sepayCompanies, SePayCompanies.init),
            KindRegistration(.sepayWebhook, SePayWebhookHandler.init),
            KindRegistration(.sepayMerchantConfig, SePayMerchantConfigHandler.init),
            KindRegistration(.sepayBankLinks, SePayBankLinks.init),
        ])
}

/// `client_id` and `client_secret`.
struct SePayBankHubSettings: BankSettings {
    let clientID: String
    let clientSecret: Sensitive

    init(_ reader: inout SettingsReader) {
        clientID = reader.text("client_id")
        clientSecret = reader.secret("client_secret")
    }
}

/// A response whose body is not needed.
struct SePayIgnored: Decodable {
    init(from decoder: any Decoder) throws {}
}

/// Companies: the paged list once; a company's detail only when the manifest sets its configuration. Bank Hub has no delete.
struct SePayCompanies: Creating, Updating, WholeListing {
    let client: SePayBankHubClient

    func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] {
        try await client.all("/v1/company", as: SePayCompany.self).map(SePayBankHubMapping.company)
    }

    func observe(_ object: LiveObject, desired: Resource) async throws -> [String: Value] {
        guard desired.attributes["configuration"] != nil else { return object.attributes }
        guard let detail = try await client.send("GET", "/v1/company/\(BankAPI.pathSegment(object.id))", as: SePayDetail<SePayCompany>.self).data else {
            return object.attributes
        }
        return SePayBankHubMapping.companyAttributes(detail, desired: desired)
    }

    func create(_ resource: Resource, known: RemoteIDs) async throws -> AppliedResource {
        struct Created: Decodable { var data: SePayCompany }
        let body: [String: Any] = [
            "full_name": resource.attributes["full_name"]?.revealedText ?? "",
            "status": resource.attributes["status"]?.revealedText ?? "Active",
        ]
        let created = try await client.send("POST", "/v1/company/create", body: body, as: Created.self)
        let edits = SePayBankHubMapping.editBody(resource).filter { $0.key != "full_name" && $0.key != "status" }
        if !edits.isEmpty {
            _ = try await client.send("POST", "/v1/company/edit/\(BankAPI.pathSegment(created.data.xid))", body: edits, as: SePayIgnored.self)
        }
        return AppliedResource(remoteID: created.data.xid, attributes: resource.attributes)
    }

    func update(_ resource: Resource, id: String, known: RemoteIDs) async throws -> AppliedResource {
        _ = try await client.send("POST", "/v1/company/edit/\(BankAPI.pathSegment(id))", body: SePayBankHubMapping.editBody(resource), as: SePayIgnored.self)
        return AppliedResource(remoteID: id, attributes: resource.attributes)
    }
}

/// The merchant's one event webhook, read once and written by upsert; its secret reads back masked.
struct SePayWebhookHandler: Updating, WholeListing {
    let client: SePayBankHubClient

    func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] {
        let data = try await client.send("GET", "/v1/webhook", as: SePayDetail<SePayWebhook>.self).data
        return data.map { [SePayBankHubMapping.webhook($0)] } ?? []
    }

    func observe(_ object: LiveObject, desired: Resource) async throws -> [String: Value] {
        SePayBankHubMapping.webhookAttributes(object, desired: desired)
    }

    func update(_ resource: Resource, id: String, known: RemoteIDs) async throws -> AppliedResource {
        _ = try await client.send("POST", "/v1/webhook", body: SePayBankHubMapping.webhookBody(resource), as: SePayIgnored.self)
        return AppliedResource(remoteID: "webhook", attributes: resource.attributes)
    }
}

/// The merchant's display and filter settings, read once and written whole.
struct SePayMerchantConfigHandler: Updating, WholeListing {
    let client: SePayBankHubClient

    func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] {
        let data = try await client.send("GET", "/v1/merchant-config", as: SePayDetail<SePayMerchantConfig>.self).data
        return [SePayBankHubMapping.merchantConfig(data ?? SePayMerchantConfig())]
    }

    func observe(_ object: LiveObject, desired: Resource) async throws -> [String: Value] {
        object.attributes.filter { desired.attributes[$0.key] != nil }
    }

    func update(_ resource: Resource, id: String, known: RemoteIDs) async throws -> AppliedResource {
        _ = try await client.send("POST", "/v1/merchant-config", body: SePayBankHubMapping.merchantConfigBody(resource), as: SePayIgnored.self)
        return AppliedResource(remoteID: "merchant-config", attributes: resource.attributes)
    }
}

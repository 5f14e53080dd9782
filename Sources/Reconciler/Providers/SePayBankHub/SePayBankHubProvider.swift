import Foundation
import PlanModel

/// SePay Bank Hub: companies, the event webhook and the merchant config by API; bank links by a person.
///
/// Refresh pages the company list once, reads a company's detail only when the manifest sets its
/// configuration, reads the webhook and merchant config once, and lists linked accounts once per company.
public struct SePayBankHubProvider: Provider {
    public let name: String
    let client: SePayBankHubClient

    public init(
        name: String, baseURL: String, clientID: String, clientSecret: Sensitive,
        transport: any HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.name = name
        self.client = SePayBankHubClient(baseURL: baseURL, clientID: clientID, clientSecret: clientSecret, transport: transport, now: now)
    }

    public func refresh(_ resources: [Resource], state: [ResourceAddress: StateEntry]) async throws -> [ResourceAddress: Observation] {
        var observations: [ResourceAddress: Observation] = [:]
        let companies = resources.filter { $0.address.kind == "companies" }
        if !companies.isEmpty {
            let live = try await client.all("/v1/company", as: SePayCompany.self)
            let claimed = Set(state.values.compactMap(\.remoteID))
            for company in companies {
                observations[company.address] = try await observeCompany(company, live: live, entry: state[company.address], claimed: claimed)
            }
        }
        for resource in resources {
            switch resource.address.kind {
            case "webhook":
                let data = try await client.send("GET", "/v1/webhook", as: SePayDetail<SePayWebhook>.self).data
                observations[resource.address] = data.map { SePayBankHubMapping.webhook($0, desired: resource) } ?? .absent
            case "merchant_config":
                let data = try await client.send("GET", "/v1/merchant-config", as: SePayDetail<SePayMerchantConfig>.self).data
                observations[resource.address] = SePayBankHubMapping.merchantConfig(data ?? SePayMerchantConfig(), desired: resource)
            default:
                break
            }
        }
        return observations
    }

    func observeCompany(_ company: Resource, live: [SePayCompany], entry: StateEntry?, claimed: Set<String>) async throws -> Observation {
        let found: SePayCompany?
        if let id = entry?.remoteID {
            found = live.first { $0.xid == id }
        } else {
            let name = Resource.normalise(company.attributes["full_name"]?.revealedText ?? "")
            let matches = live.filter { !claimed.contains($0.xid) && Resource.normalise($0.fullName ?? "") == name }
            if matches.count > 1 { return .ambiguous(candidates: matches.map(\.xid)) }
            found = matches.first
        }
        guard var found else { return .absent }
        if company.attributes["configuration"] != nil {
            found = try await client.send("GET", "/v1/company/\(found.xid)", as: SePayDetail<SePayCompany>.self).data ?? found
        }
        return SePayBankHubMapping.company(found, desired: company)
    }

    public func apply(_ change: Change, resource: Resource, context: ApplyContext) async throws -> AppliedResource {
        switch (resource.address.kind, change.action) {
        case ("companies", .create):
            struct Created: Decodable { var data: SePayCompany }
            let body: [String: Any] = [
                "full_name": resource.attributes["full_name"]?.revealedText ?? "",
                "status": resource.attributes["status"]?.revealedText ?? "Active",
            ]
            let created = try await client.send("POST", "/v1/company/create", body: body, as: Created.self)
            let edits = SePayBankHubMapping.editBody(resource).filter { $0.key != "full_name" && $0.key != "status" }
            if !edits.isEmpty {
                _ = try await client.send("POST", "/v1/company/edit/\(created.data.xid)", body: edits, as: SePayIgnored.self)
            }
            return AppliedResource(remoteID: created.data.xid, attributes: resource.attributes)
        case ("companies", .update), ("companies", .replace):
            guard let id = change.remoteID else { break }
            _ = try await client.send("POST", "/v1/company/edit/\(id)", body: SePayBankHubMapping.editBody(resource), as: SePayIgnored.self)
            return AppliedResource(remoteID: id, attributes: resource.attributes)
        case ("webhook", .create), ("webhook", .update), ("webhook", .replace):
            _ = try await client.send("POST", "/v1/webhook", body: SePayBankHubMapping.webhookBody(resource), as: SePayIgnored.self)
            return AppliedResource(remoteID: "webhook", attributes: resource.attributes)
        case ("merchant_config", .create), ("merchant_config", .update), ("merchant_config", .replace):
            _ = try await client.send("POST", "/v1/merchant-config", body: SePayBankHubMapping.merchantConfigBody(resource), as: SePayIgnored.self)
            return AppliedResource(remoteID: "merchant-config", attributes: resource.attributes)
        default:
            break
        }
        throw ProviderError.unsupported(bank: SePayBankHubClient.bank, address: resource.address.description, what: "\(change.action.rawValue) \(resource.address.kind)")
    }
}

/// A response whose body is not needed.
struct SePayIgnored: Decodable {
    init(from decoder: any Decoder) throws {}
}

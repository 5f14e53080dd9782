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
            case "bank_links":
                observations[resource.address] = try await linkedAccount(resource, context: contextFrom(observations, state)).map {
                    .present(remoteID: $0.remoteID, attributes: $0.attributes)
                } ?? .absent
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

    /// Remote ids known so far in a refresh: observed companies and state.
    func contextFrom(_ observations: [ResourceAddress: Observation], _ state: [ResourceAddress: StateEntry]) -> ApplyContext {
        var ids: [ResourceAddress: String] = [:]
        for (address, entry) in state { if let id = entry.remoteID { ids[address] = id } }
        for (address, observation) in observations { if case .present(let id, _) = observation { ids[address] = id } }
        return ApplyContext(remoteIDs: ids)
    }

    /// The account linked for the link's company: the one with the manifest's account number, or any.
    func linkedAccount(_ resource: Resource, context: ApplyContext) async throws -> AppliedResource? {
        guard let company = resource.references["company"], let companyID = context.remoteIDs[company] else { return nil }
        let accounts = try await client.all("/v1/bank-account", query: "company_xid=\(companyID)", as: SePayBankAccount.self)
        let wanted = resource.attributes["account_number"]?.revealedText
        guard let account = accounts.first(where: { wanted == nil || $0.accountNumber == wanted }) else { return nil }
        var attributes = resource.attributes
        if let number = account.accountNumber { attributes["linked_account_number"] = .string(number) }
        if let bank = account.brandName { attributes["bank"] = .string(bank) }
        return AppliedResource(remoteID: account.xid, attributes: attributes)
    }

    public func poll(_ resource: Resource, context: ApplyContext) async throws -> AppliedResource? {
        resource.address.kind == "bank_links" ? try await linkedAccount(resource, context: context) : nil
    }

    /// Reuses the pending link token while Bank Hub says it is active; otherwise creates a new one.
    public func begin(_ change: Change, resource: Resource, context: ApplyContext, pending: StateEntry?) async throws -> PersonStep? {
        guard resource.address.kind == "bank_links" else { return nil }
        if let token = pending?.attributes["link_token"]?.revealedText, let url = pending?.attributes["hosted_link_url"]?.revealedText {
            let info = try? await client.send("POST", "/v1/link-token/get", body: ["link_token": token], as: SePayLinkTokenInfo.self)
            if info?.status == "Active" {
                return PersonStep(url: url, expiresAt: info?.expiresAt, record: pending!.attributes)
            }
        }
        guard let company = resource.references["company"], let companyID = context.remoteIDs[company] else {
            throw ReconcilerError.unresolvedReference(address: resource.address, reference: resource.references["company"])
        }
        var body: [String: Any] = ["company_xid": companyID, "purpose": "LINK_BANK_ACCOUNT"]
        if let redirect = resource.attributes["completion_redirect_uri"] { body["completion_redirect_uri"] = redirect.revealedText }
        if case .boolean(let mobile)? = resource.attributes["is_mobile_app"] { body["is_mobile_app"] = mobile ? 1 : 0 }
        if let language = resource.attributes["language"] { body["language"] = language.revealedText }
        let token = try await client.send("POST", "/v1/link-token/create", body: body, as: SePayLinkToken.self)
        return PersonStep(url: token.hostedLinkURL, expiresAt: token.expiresAt, record: [
            "link_token_xid": .string(token.xid), "link_token": .string(token.linkToken),
            "hosted_link_url": .string(token.hostedLinkURL), "expires_at": .string(token.expiresAt ?? ""),
        ])
    }

    /// Unlinks an account whose link left the manifest: a person confirms it on an UNLINK hosted page.
    /// Done (nil) once Bank Hub no longer lists the account; until then the pending token is reused while active.
    public func delete(_ change: Change, context: ApplyContext, pending: StateEntry?) async throws -> PersonStep? {
        guard change.address.kind == "bank_links", let accountID = change.remoteID else {
            throw ProviderError.unsupported(bank: SePayBankHubClient.bank, address: change.address.description, what: "delete \(change.address.kind)")
        }
        let company = change.before?["company"].map { ResourceAddress(instance: change.address.instance, kind: "companies", name: $0.revealedText) }
        guard let company, let companyID = context.remoteIDs[company] else {
            throw ReconcilerError.unresolvedReference(address: change.address, reference: company)
        }
        let accounts = try await client.all("/v1/bank-account", query: "company_xid=\(companyID)", as: SePayBankAccount.self)
        guard accounts.contains(where: { $0.xid == accountID }) else { return nil }
        if let token = pending?.attributes["unlink_token"]?.revealedText, let url = pending?.attributes["unlink_url"]?.revealedText {
            let info = try? await client.send("POST", "/v1/link-token/get", body: ["link_token": token], as: SePayLinkTokenInfo.self)
            if info?.status == "Active" {
                return PersonStep(url: url, expiresAt: info?.expiresAt, record: [:])
            }
        }
        let body: [String: Any] = ["company_xid": companyID, "purpose": "UNLINK_BANK_ACCOUNT", "bank_account_xid": accountID]
        let token = try await client.send("POST", "/v1/link-token/create", body: body, as: SePayLinkToken.self)
        return PersonStep(url: token.hostedLinkURL, expiresAt: token.expiresAt, record: [
            "unlink_token": .string(token.linkToken), "unlink_url": .string(token.hostedLinkURL),
        ])
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

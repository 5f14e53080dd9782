import PlanModel
import Reconciler

/// Bank links: a person links an account on Bank Hub's hosted page, started with a link token; removing one
/// starts an unlink the person confirms. Linked accounts are listed once per company.
struct SePayBankLinks: PersonStarting, Deleting, Enumerating {
    let client: SePayBankHubClient

    /// Without an `account_number`, any account linked for the company satisfies the link.
    var matching: MatchRule { .anyNaturalKey }

    func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] {
        let companies = Set(desired.compactMap { known[$0.references["company"]] })
        var objects: [LiveObject] = []
        for company in companies.sorted() {
            objects += try await accounts(of: company).map { SePayBankHubMapping.linkedAccount($0, company: company) }
        }
        return objects
    }

    /// The accounts linked for every company known so far (the manifest's and the imported ones).
    func enumerate(known: RemoteIDs) async throws -> Enumeration {
        var objects: [LiveObject] = []
        for company in Set(known.ids.filter { $0.key.kind == "companies" }.values).sorted() {
            objects += try await accounts(of: company).map { SePayBankHubMapping.linkedAccount($0, company: company) }
        }
        return Enumeration(objects: objects)
    }

    func observe(_ object: LiveObject, desired: Resource) async throws -> [String: Value] {
        var attributes = desired.attributes
        attributes["linked_account_number"] = object.attributes["linked_account_number"]
        attributes["bank"] = object.attributes["bank"]
        return attributes
    }

    func accounts(of company: String) async throws -> [SePayBankAccount] {
        try await client.all("/v1/bank-account", query: "company_xid=\(company)", as: SePayBankAccount.self)
    }

    /// Reuses the pending link token while Bank Hub says it is active; otherwise creates a new one.
    func begin(_ resource: Resource, known: RemoteIDs, pending: PendingStep) async throws -> PersonStep {
        if let step = try await resumed(pending, token: "link_token", url: "hosted_link_url") { return step }
        guard let companyID = known[resource.references["company"]] else {
            throw ReconcilerError.unresolvedReference(address: resource.address, reference: resource.references["company"])
        }
        var body: [String: Any] = ["company_xid": companyID, "purpose": "LINK_BANK_ACCOUNT"]
        if let redirect = resource.attributes["completion_redirect_uri"] { body["completion_redirect_uri"] = redirect.revealedText }
        if case .boolean(let mobile)? = resource.attributes["is_mobile_app"] { body["is_mobile_app"] = mobile ? 1 : 0 }
        if let language = resource.attributes["language"] { body["language"] = language.revealedText }
        let token = try await client.send("POST", "/v1/link-token/create", body: body, as: SePayLinkToken.self)
        return PersonStep(
            url: token.hostedLinkURL, expiresAt: SePayBankHubMapping.expiry(token.expiresAt),
            record: ["link_token_xid": .string(token.xid), "expires_at": .string(token.expiresAt ?? "")],
            secrets: ["link_token": Sensitive(token.linkToken), "hosted_link_url": Sensitive(token.hostedLinkURL)])
    }

    /// Unlinks an account whose link left the manifest: done (nil) once Bank Hub no longer lists the account;
    /// until then the pending unlink token is reused while active.
    func delete(_ change: Change, known: RemoteIDs, pending: PendingStep) async throws -> PersonStep? {
        guard let accountID = change.remoteID else {
            throw CapabilityRefusal(bank: SePayBankHubClient.bank, address: change.address.description, what: "delete \(change.address.kind)")
        }
        let company = change.before?["company"].map { ResourceAddress(instance: change.address.instance, kind: "companies", name: $0.revealedText) }
        guard let companyID = known[company] else { throw ReconcilerError.unresolvedReference(address: change.address, reference: company) }
        guard try await accounts(of: companyID).contains(where: { $0.xid == accountID }) else { return nil }
        if let step = try await resumed(pending, token: "unlink_token", url: "unlink_url") { return step }
        let body: [String: Any] = ["company_xid": companyID, "purpose": "UNLINK_BANK_ACCOUNT", "bank_account_xid": accountID]
        let token = try await client.send("POST", "/v1/link-token/create", body: body, as: SePayLinkToken.self)
        return PersonStep(
            url: token.hostedLinkURL, expiresAt: SePayBankHubMapping.expiry(token.expiresAt),
            secrets: ["unlink_token": Sensitive(token.linkToken), "unlink_url": Sensitive(token.hostedLinkURL)])
    }

    /// The pending step again, while Bank Hub still says its token is active.
    func resumed(_ pending: PendingStep, token: String, url: String) async throws -> PersonStep? {
        guard let token = pending.secrets[token], let url = pending.secrets[url] else { return nil }
        let info = try? await client.send("POST", "/v1/link-token/get", body: ["link_token": token.revealed], as: SePayLinkTokenInfo.self)
        guard info?.status == "Active" else { return nil }
        return PersonStep(url: url.revealed, expiresAt: SePayBankHubMapping.expiry(info?.expiresAt), record: pending.record, secrets: pending.secrets)
    }
}

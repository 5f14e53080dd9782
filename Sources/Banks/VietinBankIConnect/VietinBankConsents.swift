import Foundation
import PlanModel
import Reconciler

/// Why a consent's redirect cannot be used.
enum VietinBankConsentError: Error, CustomStringConvertible {
    case refused(address: ResourceAddress, error: String, detail: String?)
    case wrongState(address: ResourceAddress)
    case noCode(address: ResourceAddress)
    case notStarted(address: ResourceAddress)
    case cannotListen(address: ResourceAddress, callback: String, reason: String)

    var description: String {
        switch self {
        case .refused(let address, let error, let detail):
            return "\(address): the customer did not give consent (\(error)\(detail.map { ": \($0)" } ?? "")). Run provision apply to start again."
        case .wrongState(let address):
            return "\(address): the redirect's state does not match the consent started last, so it belongs to another authorization. Use the URL the browser reached after the latest authorization URL."
        case .noCode(let address):
            return "\(address): the redirect carries no code. Give the whole URL the browser was sent to, including its query."
        case .notStarted(let address):
            return "\(address): no consent is under way here. Run provision apply, open the authorization URL it prints, then give the URL you were redirected to."
        case .cannotListen(let address, let callback, let reason):
            return "\(address): cannot listen for the callback \(callback): \(reason). Free its port, or register another loopback callback_url."
        }
    }
}

/// Consents: OAuth 2 authorization code with `state` and PKCE S256. apply prints the authorization URL; the code
/// comes back on a loopback callback apply listens on, or in the URL a person pastes (`provision consent`). Tokens
/// are kept in the secrets folder; an expired access token is refreshed (rotating the refresh token), and a refused
/// refresh makes the consent a person's step again. Removing a consent deletes its tokens.
struct VietinBankConsents: PersonStarting, Deleting, RedirectCompleting {
    static let page = "<!doctype html><meta charset=\"utf-8\"><title>VietinBank consent received</title>"
        + "<p>VietinBank consent received; provision is finishing it. You may close this window.</p>"

    let client: VietinBankClient

    var tokens: SecretStore? { client.connection.keptSecrets }

    func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] {
        var objects: [LiveObject] = []
        for consent in desired {
            if let flow = await client.flows.flow(consent.address), let target = flow.receiver?.received {
                _ = try await finish(consent, redirect: target, flow: flow)
            }
            guard let current = try await current(consent) else { continue }
            var attributes: [String: Value] = [:]
            attributes["scope"] = current.scope.map(Value.string)
            attributes["customer"] = current.customer.map(Value.string)
            objects.append(LiveObject(id: id(of: consent), attributes: attributes))
        }
        return objects
    }

    /// Not secret: the application's client id and the consent's name.
    func id(of consent: Resource) -> String {
        "\(client.settings.clientID)/\(consent.address.name ?? consent.address.kind)"
    }

    /// The consent's tokens, refreshed when the access token has expired; nil when there are none or the refresh was refused.
    func current(_ consent: Resource) async throws -> VietinBankTokens? {
        guard let tokens, let kept = VietinBankTokens(tokens.load(consent.address)) else { return nil }
        guard kept.expired(at: client.connection.now()) else { return kept }
        guard let refresh = kept.refresh else {
            try tokens.save([:], for: consent.address)
            return nil
        }
        let issued: VietinBankIssuedToken
        do {
            issued = try await client.token([("grant_type", "refresh_token"), ("refresh_token", refresh.revealed), ("client_id", client.settings.clientID)])
        } catch let error as ProviderError where Self.isRefusedGrant(error) {
            try tokens.save([:], for: consent.address)
            return nil
        }
        let renewed = VietinBankTokens(issued, now: client.connection.now(), for: consent, keeping: refresh)
        try tokens.save(renewed.secrets, for: consent.address)
        return renewed
    }

    /// A refresh the authorization server refused (invalid or revoked grant), not a gateway that refused the application.
    static func isRefusedGrant(_ error: ProviderError) -> Bool {
        guard error.failure == .rejected else { return false }
        let gateway = (error.message ?? "").lowercased().contains("invalid client id or secret")
        return error.status == 400 || (error.status == 401 && !gateway)
    }

    /// Starts an authorization request (or resumes the one in `pending`) and, for a loopback callback, listens for it.
    func begin(_ resource: Resource, known: RemoteIDs, pending: PendingStep) async throws -> PersonStep {
        if let flow = await client.flows.flow(resource.address) { return step(flow) }
        guard tokens != nil else { throw VietinBankSetupError.noSecretsFolder(address: resource.address) }
        let callback = try callback(of: resource, known: known)
        var flow = VietinBankConsentFlows.Flow(
            state: pending.secrets["state"] ?? Sensitive(VietinBankPKCE.random()),
            verifier: pending.secrets["code_verifier"] ?? Sensitive(VietinBankPKCE.random()), redirectURI: callback, url: "")
        flow.url = client.authorizationURL(flow, scope: resource.attributes["scope"]?.revealedText)
        flow.receiver = try await listen(on: callback, for: resource.address)
        await client.flows.start(flow, for: resource.address)
        return step(flow)
    }

    func step(_ flow: VietinBankConsentFlows.Flow) -> PersonStep {
        PersonStep(url: flow.url, expiresAt: nil, secrets: ["state": flow.state, "code_verifier": flow.verifier])
    }

    /// The application's callback URL, the consent's redirect URI.
    func callback(of consent: Resource, known: RemoteIDs) throws -> String {
        let application = known.resource(at: consent.references["application"])
        guard let callback = application?.attributes["callback_url"]?.revealedText else {
            throw VietinBankSetupError.noCallback(address: consent.address, application: consent.attributes["application"]?.displayText ?? "")
        }
        return callback
    }

    /// A listener on the callback's port and path when its host is this machine; nil otherwise.
    func listen(on callback: String, for address: ResourceAddress) async throws -> LoopbackRedirectReceiver? {
        guard let url = URLComponents(string: callback), let host = url.host, LoopbackRedirectReceiver.isLoopback(host: host) else { return nil }
        do {
            return try await LoopbackRedirectReceiver.start(host: host, port: url.port ?? 80, path: url.path, page: Self.page)
        } catch {
            throw VietinBankConsentError.cannotListen(address: address, callback: callback, reason: "\(error)")
        }
    }

    /// Finishes from a URL a person pasted, checked against the request recorded in `pending`.
    func complete(_ resource: Resource, redirect: String, known: RemoteIDs, pending: PendingStep) async throws -> AppliedResource {
        guard let state = pending.secrets["state"], let verifier = pending.secrets["code_verifier"] else {
            throw VietinBankConsentError.notStarted(address: resource.address)
        }
        let flow = VietinBankConsentFlows.Flow(state: state, verifier: verifier, redirectURI: try callback(of: resource, known: known), url: "")
        return try await finish(resource, redirect: redirect, flow: flow)
    }

    /// Checks `state` and exchanges the code for tokens, which go to the secrets folder.
    func finish(_ consent: Resource, redirect: String, flow: VietinBankConsentFlows.Flow) async throws -> AppliedResource {
        await client.flows.end(consent.address)
        let items = URLComponents(string: redirect.trimmingCharacters(in: .whitespacesAndNewlines))?.queryItems ?? []
        let value = { (name: String) in items.first { $0.name == name }?.value }
        if let error = value("error") {
            throw VietinBankConsentError.refused(address: consent.address, error: error, detail: value("error_description"))
        }
        guard value("state") == flow.state.revealed else { throw VietinBankConsentError.wrongState(address: consent.address) }
        guard let code = value("code"), !code.isEmpty else { throw VietinBankConsentError.noCode(address: consent.address) }
        guard let tokens else { throw VietinBankSetupError.noSecretsFolder(address: consent.address) }
        let issued = try await client.token([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", flow.redirectURI),
            ("code_verifier", flow.verifier.revealed), ("client_id", client.settings.clientID),
        ])
        try tokens.save(VietinBankTokens(issued, now: client.connection.now(), for: consent).secrets, for: consent.address)
        return AppliedResource(remoteID: id(of: consent), attributes: consent.attributes)
    }

    /// Forgets the consent: its tokens are deleted (VietinBank publishes no revocation call).
    func delete(_ change: Change, known: RemoteIDs, pending: PendingStep) async throws -> PersonStep? {
        await client.flows.end(change.address)
        try tokens?.save([:], for: change.address)
        return nil
    }
}

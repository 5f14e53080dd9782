import Foundation
import PlanModel
import Reconciler

/// CIB registrations: apply sends `Registration`, the corporate user approves it in ICICI CIB, and the engine polls
/// `RegistrationStatus` until it says `Registered`; `REJECTED` or `DEREGISTERED` end the wait at once (they never turn
/// into `Registered`), and the next apply registers anew. Statuses are read without regard to case. A registration
/// this tool did not record that ICICI calls "CORPORATE ALREADY REGISTERED" is adopted after a status check.
/// Removing one sends `Deregistration`.
struct ICICICIBRegistrations: StepProgressReporting, Deleting {
    static let registration = ICICICatalogue.cib + "Registration"
    static let status = ICICICatalogue.cib + "RegistrationStatus"
    static let deregistration = ICICICatalogue.cib + "Deregistration"

    let client: ICICIClient

    /// The registrations whose status is `Registered`; one the gateway will not answer for yet is not listed.
    func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] {
        var objects: [LiveObject] = []
        for resource in desired {
            if case .finished(let object) = try await progress(resource, known: known) { objects.append(object) }
        }
        return objects
    }

    /// What `RegistrationStatus` says of the registration: registered, still waiting, or ended by ICICI.
    func progress(_ resource: Resource, known: RemoteIDs) async throws -> PersonStepProgress {
        guard let status = try await status(of: resource) else { return .waiting }
        let user = resource.attributes["user_id"]?.displayText ?? "", corp = resource.attributes["corp_id"]?.displayText ?? ""
        switch status.uppercased() {
        case "REGISTERED": return .finished(LiveObject(id: Self.id(resource.attributes), attributes: resource.attributes))
        case "REJECTED":
            return .ended(status: status, next: "Corporate user \(user) of \(corp) rejected the registration in ICICI CIB. Ask them why; "
                + "then run provision apply to send a new registration for them to approve, or remove the registration from the manifest.")
        case "DEREGISTERED":
            return .ended(status: status, next: "The registration of \(user) of \(corp) was cancelled at ICICI. Run provision apply to register anew "
                + "(the corporate user approves again), or remove the registration from the manifest.")
        default: return .waiting
        }
    }

    /// `RegistrationStatus`'s `Status`; nil when ICICI knows no such registration, or the application cannot call it yet.
    func status(of resource: Resource) async throws -> String? {
        guard client.encrypted != nil else { return nil }
        do {
            let answer = try await client.call(Self.status, Self.payload(resource.attributes, alias: true), for: resource.address)
            return (answer["Status"] ?? answer["STATUS"] ?? answer["status"]) as? String
        } catch let error as ProviderError where error.failure == .rejected && Self.meansNotYet(error) {
            return nil
        }
    }

    /// A CIB refusal in a success answer (no such registration), or the gateway refusing a key or API not set up yet.
    static func meansNotYet(_ error: ProviderError) -> Bool {
        let status = error.status ?? 0
        return (200..<300).contains(status) || status == 401 || status == 403
    }

    func begin(_ resource: Resource, known: RemoteIDs, pending: PendingStep) async throws -> PersonStep {
        if pending.record["registration_requested"] != nil { return step(resource, record: pending.record) }
        var record: [String: Value] = ["registration_requested": resource.attributes["urn"] ?? .string("")]
        do {
            var payload = Self.payload(resource.attributes, alias: true)
            payload["BANKID"] = client.settings.bankID
            _ = try await client.call(Self.registration, payload, for: resource.address)
        } catch let error as ProviderError where (error.message ?? "").uppercased().contains("ALREADY REGISTERED") {
            guard let status = try await status(of: resource) else { throw error }
            record["adopted_with_status"] = .string(status)
        }
        return step(resource, record: record)
    }

    func step(_ resource: Resource, record: [String: Value]) -> PersonStep {
        let user = resource.attributes["user_id"]?.displayText ?? "", corp = resource.attributes["corp_id"]?.displayText ?? ""
        return PersonStep(url: "ICICI CIB as corporate user \(user) of \(corp), and approve the registration", expiresAt: nil, record: record)
    }

    /// `Deregistration` of a registration that left the manifest; done when ICICI says so.
    func delete(_ change: Change, known: RemoteIDs, pending: PendingStep) async throws -> PersonStep? {
        let attributes = change.before ?? [:]
        _ = try await client.call(Self.deregistration, Self.payload(attributes, alias: true), for: change.address)
        return nil
    }

    /// The CIB fields, by ICICI's names.
    static func payload(_ attributes: [String: Value], alias: Bool = false) -> [String: String] {
        var payload: [String: String] = [:]
        let names = ["aggr_name": "AGGRNAME", "aggr_id": "AGGRID", "corp_id": "CORPID", "user_id": "USERID", "urn": "URN"]
        for (attribute, field) in names { payload[field] = attributes[attribute]?.revealedText ?? "" }
        if alias, let alias = attributes["alias_id"]?.revealedText { payload["ALIASID"] = alias }
        return payload
    }

    static func id(_ attributes: [String: Value]) -> String {
        "\(attributes["corp_id"]?.revealedText ?? "")/\(attributes["user_id"]?.revealedText ?? "")"
    }
}

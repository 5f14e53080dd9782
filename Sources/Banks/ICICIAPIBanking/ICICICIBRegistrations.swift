import Foundation
import PlanModel
import Reconciler

/// CIB registrations: apply sends `Registration`, the corporate user approves it in ICICI CIB, and the engine polls
/// `RegistrationStatus` until it says `Registered`. A registration this tool did not record that ICICI calls
/// "CORPORATE ALREADY REGISTERED" is adopted after a status check. Removing one sends `Deregistration`.
struct ICICICIBRegistrations: PersonStarting, Deleting {
    static let registration = ICICICatalogue.cib + "Registration"
    static let status = ICICICatalogue.cib + "RegistrationStatus"
    static let deregistration = ICICICatalogue.cib + "Deregistration"

    let client: ICICIClient

    /// The registrations whose status is `Registered`; one the gateway will not answer for yet is not listed.
    func list(_ desired: [Resource], known: RemoteIDs) async throws -> [LiveObject] {
        var objects: [LiveObject] = []
        for resource in desired where try await status(of: resource)?.lowercased() == "registered" {
            objects.append(LiveObject(id: Self.id(resource.attributes), attributes: resource.attributes))
        }
        return objects
    }

    /// `RegistrationStatus`'s `Status`; nil when ICICI knows no such registration, or the application cannot call it yet.
    func status(of resource: Resource) async throws -> String? {
        guard client.encrypted != nil else { return nil }
        do {
            let answer = try await client.call(Self.status, Self.payload(resource.attributes), for: resource.address)
            return (answer["Status"] ?? answer["STATUS"]) as? String
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
            _ = try await client.call(Self.registration, Self.payload(resource.attributes, alias: true), for: resource.address)
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

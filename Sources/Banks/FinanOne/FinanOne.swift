import Foundation
import PlanModel
import Reconciler

/// Finan One Open API: sub bank accounts by API, master accounts read-only, webhook in the portal.
enum FinanOne {
    static let bank = Bank(
        schema: .finanOne, sandboxMount: "/finan/open", settings: FinanOneSettings.self,
        client: { settings, connection in FinanOneClient(settings, connection: connection) },
        kinds: [
            KindRegistration("master_accounts", FinanMasterAccounts.init),
            KindRegistration("bank_accounts", FinanBankAccounts.init),
        ])

    /// The adapter for one provider instance, for tests that drive it without a manifest.
    static func provider(
        name: String, baseURL: String, clientID: String, secretKey: Sensitive, transport: any HTTPTransport,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> BankProvider {
        let settings: [String: Value] = ["client_id": .string(clientID), "secret_key": .sensitive(secretKey)]
        return bank.provider(name: name, baseURL: baseURL, settings: settings, wire: transport, now: now)!
    }
}

/// `client_id` and `secret_key`.
struct FinanOneSettings: BankSettings {
    let clientID: String
    let secretKey: Sensitive

    init(_ reader: inout SettingsReader) {
        clientID = reader.text("client_id")
        secretKey = reader.secret("secret_key")
    }
}

/// Master accounts: one list call; a filtered call only for a master whose listed number is masked.
struct FinanMasterAccounts: KindHandler {
    let client: FinanOneClient

    func list(_ desired: [Resource], known: RemoteIDs) async throws -> [LiveObject] {
        let live = try await client.listMasterAccounts()
        await client.masters.remember(live)
        var objects: [LiveObject] = []
        for master in desired {
            objects += try await candidates(for: master.attributes["account_number"]?.revealedText ?? "", in: live)
        }
        return objects
    }

    /// The listed masters that are this number: the exact one, or those a filtered call confirms behind a mask.
    func candidates(for number: String, in live: [FinanAccount]) async throws -> [LiveObject] {
        if let exact = live.first(where: { $0.accountNumber == number }) {
            return [FinanOneMapping.master(exact, number: number)].compactMap { $0 }
        }
        guard live.contains(where: { FinanOneMapping.maskedNumber($0.accountNumber ?? "", matches: number) }) else { return [] }
        return try await client.listMasterAccounts(accountNumber: number)
            .filter { $0.accountNumber == number || FinanOneMapping.maskedNumber($0.accountNumber ?? "", matches: number) }
            .compactMap { FinanOneMapping.master($0, number: number) }
    }
}

/// Bank accounts: one list call, a get only for a tracked account missing from the list; created under a master.
/// Finan has no update or close call, so a change replaces and a removal is a person's step.
struct FinanBankAccounts: Creating, Fetching {
    let client: FinanOneClient

    func list(_ desired: [Resource], known: RemoteIDs) async throws -> [LiveObject] {
        var objects: [LiveObject] = []
        for account in try await client.listBankAccounts() {
            objects += [await FinanOneMapping.bankAccount(account, masters: client.masters)].compactMap { $0 }
        }
        return objects
    }

    func fetch(id: String, desired: Resource) async throws -> LiveObject? {
        guard let account = try await client.bankAccount(id: id) else { return nil }
        return await FinanOneMapping.bankAccount(account, masters: client.masters)
    }

    func create(_ resource: Resource, known: RemoteIDs) async throws -> AppliedResource {
        guard let masterID = known[resource.references["master"]] else {
            throw ReconcilerError.unresolvedReference(address: resource.address, reference: resource.references["master"])
        }
        let name = resource.attributes["account_name"]?.revealedText ?? ""
        let (account, id, requestID) = try await client.createBankAccount(FinanCreateBankAccount(masterAccountID: masterID, accountName: name))
        return AppliedResource(remoteID: id, attributes: FinanOneMapping.appliedAttributes(account, desired: resource), requestID: requestID)
    }
}

import Foundation
import PlanModel
import Reconciler

/// Finan One Open API: sub bank accounts by API, master accounts read-only, webhook in the portal.
enum FinanOne {
    static let bank = Bank(
        schema: .finanOne, sandboxMount: "/finan/open", settings: FinanOneSettings.self,
        client: { settings, connection in FinanOneClient(settings, connection: connection) },
        kinds: [
            KindRegistration(.finanMasterAccounts, FinanMasterAccounts.init),
            KindRegistration(.finanBankAccounts, FinanBankAccounts.init),
        ])

    /// The adapter for one provider instance, for tests that drive it without a manifest.
    static func provider(
        name: String, baseURL: String, clientID: String, secretKey: Sensitive, transport: any HTTPTransport,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> BankProvider {
        let settings: [String: Value] = ["client_id": .string(clientID), "secret_key": .sensitive(secretKey)]
        return try! bank.provider(name: name, baseURL: baseURL, settings: settings, wire: transport, now: now)!
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
struct FinanMasterAccounts: Enumerating {
    let client: FinanOneClient

    func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] {
        let live = try await client.listMasterAccounts()
        var objects: [LiveObject] = []
        for master in desired {
            objects += try await candidates(for: master.attributes["account_number"]?.revealedText ?? "", in: live)
        }
        return objects
    }

    /// Every listed master the manifest does not declare whose number Finan shows whole; a masked one cannot be named by its number.
    func enumerate(known: RemoteIDs) async throws -> Enumeration {
        let live = try await client.listMasterAccounts()
        var listed = Enumeration(objects: [])
        let declared = Set(known.ids.filter { $0.key.kind == "master_accounts" }.values)
        for account in live where !declared.contains(account.identifier ?? "") {
            guard let number = account.accountNumber, !number.contains("X") else {
                listed.leftOut.append(
                    "master_accounts: Finan One lists master account \(account.accountNumber ?? "?") (\(account.accountName ?? "no name"), "
                        + "id \(account.identifier ?? "?")) masked; declare it under master_accounts with its full account_number by hand.")
                continue
            }
            if let object = FinanOneMapping.master(account, number: number) { listed.objects.append(object) }
        }
        return listed
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
struct FinanBankAccounts: Creating, Fetching, Enumerating, Prefetching {
    let client: FinanOneClient

    /// Every account; one whose master Finan does not name is put under the one master known, if there is only one.
    func enumerate(known: RemoteIDs) async throws -> Enumeration {
        var listed = Enumeration(objects: try await list([], known: known))
        let masters = known.ids.filter { $0.key.kind == "master_accounts" }
        guard masters.count == 1, let only = masters.first, listed.objects.contains(where: { $0.references["master"] == nil }) else {
            return listed
        }
        for index in listed.objects.indices where listed.objects[index].references["master"] == nil {
            listed.objects[index].references["master"] = only.value
        }
        listed.leftOut.append(
            "bank_accounts: Finan One's list does not say which master an account is under; those it does not name are written under "
                + "\(only.key.name ?? "the master"), the only master known. Move any that belong elsewhere.")
        return listed
    }

    /// The list asks for no master, so it is sent beside the master calls; a master named only by name is looked
    /// up once the masters are refreshed.
    func fetchList() async throws -> [FinanAccount] {
        try await client.listBankAccounts()
    }

    func objects(in listing: [FinanAccount], desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] {
        let masters = try await masterNames(for: listing, known: known)
        return listing.compactMap { FinanOneMapping.bankAccount($0, masters: masters) }
    }

    func fetch(id: String, desired: Resource, known: RemoteIDs) async throws -> LiveObject? {
        guard let account = try await client.bankAccount(id: id) else { return nil }
        return FinanOneMapping.bankAccount(account, masters: try await masterNames(for: [account], known: known))
    }

    /// The masters the engine hands over from the master kind's list; when an account names a master those do not
    /// cover (a master the manifest does not declare), the master list is read once more.
    func masterNames(for accounts: [FinanAccount], known: RemoteIDs) async throws -> FinanMasterNames {
        let handed = FinanMasterNames(listed: known.listed["master_accounts"] ?? [])
        guard !handed.resolves(accounts) else { return handed }
        return FinanMasterNames(accounts: try await client.listMasterAccounts())
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

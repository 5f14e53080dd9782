import Foundation
import PlanModel

/// Finan One: observes master accounts, creates bank accounts under them.
///
/// Refresh makes one list call per kind, plus a filtered call only for a master whose listed number is masked
/// and a get only for a tracked account missing from the list.
public struct FinanOneProvider: Provider {
    public let name: String
    let client: FinanOneClient

    public init(
        name: String, baseURL: String, clientID: String, secretKey: Sensitive,
        transport: any HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.name = name
        self.client = FinanOneClient(baseURL: baseURL, clientID: clientID, secretKey: secretKey, transport: transport, now: now)
    }

    public func refresh(_ resources: [Resource], state: [ResourceAddress: StateEntry]) async throws -> [ResourceAddress: Observation] {
        let masters = resources.filter { $0.address.kind == "master_accounts" }
        let accounts = resources.filter { $0.address.kind == "bank_accounts" }
        var observations: [ResourceAddress: Observation] = [:]
        if !masters.isEmpty || !accounts.isEmpty {
            let live = try await client.listMasterAccounts()
            for master in masters {
                observations[master.address] = try await observeMaster(master, live: live)
            }
        }
        if !accounts.isEmpty {
            let live = try await client.listBankAccounts()
            let claimed = Set(state.values.compactMap(\.remoteID))
            for account in accounts {
                observations[account.address] = try await observeBankAccount(
                    account, live: live, entry: state[account.address], claimed: claimed, masters: observations)
            }
        }
        return observations
    }

    func observeMaster(_ master: Resource, live: [FinanAccount]) async throws -> Observation {
        let number = master.attributes["account_number"]?.revealedText ?? ""
        if let exact = live.first(where: { $0.accountNumber == number }) {
            return FinanOneMapping.masterObservation(exact, desiredNumber: number) ?? .absent
        }
        guard live.contains(where: { FinanOneMapping.maskedNumber($0.accountNumber ?? "", matches: number) }) else {
            return .absent
        }
        let filtered = try await client.listMasterAccounts(accountNumber: number).filter {
            $0.accountNumber == number || FinanOneMapping.maskedNumber($0.accountNumber ?? "", matches: number)
        }
        switch filtered.count {
        case 0: return .absent
        case 1: return FinanOneMapping.masterObservation(filtered[0], desiredNumber: number) ?? .absent
        default: return .ambiguous(candidates: filtered.compactMap(\.identifier))
        }
    }

    func observeBankAccount(
        _ account: Resource, live: [FinanAccount], entry: StateEntry?, claimed: Set<String>,
        masters: [ResourceAddress: Observation]
    ) async throws -> Observation {
        if let id = entry?.remoteID {
            let found: FinanAccount?
            if let listed = live.first(where: { $0.identifier == id }) {
                found = listed
            } else {
                found = try await client.bankAccount(id: id)
            }
            guard let found else { return .absent }
            return FinanOneMapping.bankAccountObservation(found, id: id, desired: account, recordedMaster: entry?.attributes["master"])
        }
        let name = Resource.normalise(account.attributes["account_name"]?.revealedText ?? "")
        var masterID: String?
        var masterName: String?
        if let master = account.references["master"], case .present(let id, let attributes)? = masters[master] {
            masterID = id
            masterName = attributes["account_name"]?.revealedText
        }
        let candidates = live.filter { item in
            guard let id = item.identifier, !claimed.contains(id) else { return false }
            guard Resource.normalise(item.accountName ?? "") == name else { return false }
            if let linked = item.masterAccountID, let masterID, linked != masterID { return false }
            if let linked = item.masterAccountName, let masterName,
               Resource.normalise(linked) != Resource.normalise(masterName) { return false }
            return true
        }
        switch candidates.count {
        case 0: return .absent
        case 1: return FinanOneMapping.bankAccountObservation(candidates[0], id: candidates[0].identifier!, desired: account, recordedMaster: nil)
        default: return .ambiguous(candidates: candidates.compactMap(\.identifier))
        }
    }

    public func apply(_ change: Change, resource: Resource, context: ApplyContext) async throws -> AppliedResource {
        guard resource.address.kind == "bank_accounts", change.action == .create || change.action == .replace else {
            throw ProviderError.unsupported(bank: FinanOneClient.bank, address: resource.address.description, what: "\(change.action.rawValue) \(resource.address.kind)")
        }
        guard let masterAddress = resource.references["master"], let masterID = context.remoteIDs[masterAddress] else {
            throw ReconcilerError.unresolvedReference(address: resource.address, reference: resource.references["master"])
        }
        let name = resource.attributes["account_name"]?.revealedText ?? ""
        let (account, requestID) = try await client.createBankAccount(FinanCreateBankAccount(masterAccountID: masterID, accountName: name))
        var notes: [String] = []
        if change.action == .replace, let old = change.remoteID {
            notes.append("The old bank account \(old) is still open at Finan One, which has no API to close it: close it in the Finan portal or through Finan support.")
        }
        return AppliedResource(
            remoteID: account.identifier!, attributes: FinanOneMapping.appliedAttributes(account, desired: resource),
            requestID: requestID, notes: notes)
    }
}

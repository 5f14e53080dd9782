import PlanModel
import Reconciler

/// Finan One wire accounts ↔ live objects in the manifest's attribute names.
enum FinanOneMapping {
    /// True when a listed (possibly masked, `1234XXXX5678`) number can be the full number.
    static func maskedNumber(_ listed: String, matches full: String) -> Bool {
        guard listed.count == full.count, listed.contains("X") else { return false }
        return zip(listed, full).allSatisfy { shown, real in shown == "X" || shown == real }
    }

    /// A master under the full number the manifest gives (the list may show it masked).
    static func master(_ account: FinanAccount, number: String) -> LiveObject? {
        guard let id = account.identifier else { return nil }
        var attributes: [String: Value] = ["account_number": .string(number)]
        if let name = account.accountName { attributes["account_name"] = .string(name) }
        if let bank = account.bankCode { attributes["bank_code"] = .string(bank) }
        return LiveObject(id: id, attributes: attributes)
    }

    /// A bank account; its master by id when Finan gives one, else by the master's name when exactly one listed master has it.
    static func bankAccount(_ account: FinanAccount, masters: FinanMasterNames) -> LiveObject? {
        guard let id = account.identifier else { return nil }
        var object = LiveObject(id: id)
        if let name = account.accountName { object.attributes["account_name"] = .string(name) }
        if let master = account.masterAccountID {
            object.references["master"] = master
        } else if let name = account.masterAccountName, let master = masters.id(named: name) {
            object.references["master"] = master
        }
        return object
    }

    static func appliedAttributes(_ account: FinanAccount, desired: Resource) -> [String: Value] {
        var attributes = desired.attributes
        if let number = account.accountNumber { attributes["account_number"] = .string(number) }
        return attributes
    }
}

/// Master accounts by name, for bank accounts that name their master only by name.
struct FinanMasterNames: Sendable {
    /// Normalised name → the ids of the masters with it.
    let ids: [String: [String]]

    init(_ masters: [(name: String, id: String)]) {
        ids = Dictionary(grouping: masters, by: { Resource.normalise($0.name) }).mapValues { $0.map(\.id) }
    }

    /// The masters another kind listed (handed over by the engine).
    init(listed: [LiveObject]) {
        self.init(listed.compactMap { object -> (name: String, id: String)? in
            guard let name = object.attributes["account_name"]?.revealedText else { return nil }
            return (name, object.id)
        })
    }

    init(accounts: [FinanAccount]) {
        self.init(accounts.compactMap { account -> (name: String, id: String)? in
            guard let name = account.accountName, let id = account.identifier else { return nil }
            return (name, id)
        })
    }

    /// The id of the one master with this name, compared without regard to case and spacing.
    func id(named name: String) -> String? {
        guard let found = ids[Resource.normalise(name)], found.count == 1 else { return nil }
        return found[0]
    }

    /// Whether every account that names its master only by name can be tied to one master here.
    func resolves(_ accounts: [FinanAccount]) -> Bool {
        accounts.allSatisfy { $0.masterAccountID != nil || $0.masterAccountName.map { id(named: $0) != nil } ?? true }
    }
}

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
    static func bankAccount(_ account: FinanAccount, masters: FinanMasterDirectory) async -> LiveObject? {
        guard let id = account.identifier else { return nil }
        var object = LiveObject(id: id)
        if let name = account.accountName { object.attributes["account_name"] = .string(name) }
        if let master = account.masterAccountID {
            object.references["master"] = master
        } else if let name = account.masterAccountName, let master = await masters.id(named: name) {
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

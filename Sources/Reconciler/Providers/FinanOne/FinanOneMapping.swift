import PlanModel

/// Finan One wire accounts ↔ model observations.
enum FinanOneMapping {
    /// True when a listed (possibly masked, `1234XXXX5678`) number can be the full number.
    static func maskedNumber(_ listed: String, matches full: String) -> Bool {
        guard listed.count == full.count, listed.contains("X") else { return false }
        return zip(listed, full).allSatisfy { shown, real in shown == "X" || shown == real }
    }

    static func masterObservation(_ account: FinanAccount, desiredNumber: String) -> Observation? {
        guard let id = account.identifier else { return nil }
        var attributes: [String: Value] = ["account_number": .string(desiredNumber)]
        if let name = account.accountName { attributes["account_name"] = .string(name) }
        if let bank = account.bankCode { attributes["bank_code"] = .string(bank) }
        return .present(remoteID: id, attributes: attributes)
    }

    /// A bank account as the differ compares it. Finan cannot report the master, so it comes from state
    /// (or, for an adoption, from the manifest); a name equal but for case and spacing counts as equal.
    static func bankAccountObservation(_ account: FinanAccount, id: String, desired: Resource, recordedMaster: Value?) -> Observation {
        var attributes: [String: Value] = [:]
        let desiredName = desired.attributes["account_name"]
        if let live = account.accountName {
            if let desiredName, Resource.normalise(live) == Resource.normalise(desiredName.revealedText) {
                attributes["account_name"] = desiredName
            } else {
                attributes["account_name"] = .string(live)
            }
        }
        attributes["master"] = recordedMaster ?? desired.attributes["master"]
        return .present(remoteID: id, attributes: attributes)
    }

    static func appliedAttributes(_ account: FinanAccount, desired: Resource) -> [String: Value] {
        var attributes = desired.attributes
        if let number = account.accountNumber { attributes["account_number"] = .string(number) }
        return attributes
    }
}

extension Plan {
    /// The plan with every secret a change sets marked with `fingerprint(address, secret)`, so that a view shows that
    /// a secret changes, and to what, by its fingerprint only; nil leaves a secret as it is.
    public func fingerprintingSecrets(_ fingerprint: (ResourceAddress, Sensitive) -> String?) -> Plan {
        marking { $0.map { change in
            var change = change
            let address = change.address
            change.after = change.after?.mapValues { $0.fingerprinted { fingerprint(address, $0) } }
            change.attributeChanges = change.attributeChanges.map { attribute in
                var attribute = attribute
                attribute.after = attribute.after?.fingerprinted { fingerprint(address, $0) }
                return attribute
            }
            return change
        } }
    }
}

extension Value {
    /// The value with each secret in it given the fingerprint `mark` makes for it.
    func fingerprinted(_ mark: (Sensitive) -> String?) -> Value {
        switch self {
        case .sensitive(var secret):
            secret.fingerprint = mark(secret)
            return .sensitive(secret)
        case .list(let items): return .list(items.map { $0.fingerprinted(mark) })
        case .object(let fields): return .object(fields.mapValues { $0.fingerprinted(mark) })
        case .string, .integer, .boolean: return self
        }
    }
}

/// A value the manifest takes from an environment variable that was not set, or from a file that could not be read,
/// when it was loaded with `CredentialResolution.deferred`: left out of the manifest, and named here instead.
///
/// Invariant: a manifest holding any `DeferredValue` has no value at `key` (no empty string, no default, no
/// placeholder stands in for it), and `Manifest.requireResolved()` refuses it, so it never reaches a bank or the state.
public struct DeferredValue: Sendable, Hashable {
    /// Where the value was to come from.
    public enum Source: Sendable, Hashable {
        /// An environment variable that was not set, e.g. `ICICI_API_KEY`.
        case variable(String)
        /// A file that could not be read (a key kept out of git): the path as written, and as resolved beside the
        /// manifest file.
        case file(written: String, resolved: String)
    }

    public var source: Source
    /// The dotted key the value belongs to, e.g. `providers.icici.api_key`.
    public var key: String
    public var location: SourceLocation

    public init(_ source: Source, key: String, location: SourceLocation) {
        self.source = source
        self.key = key
        self.location = location
    }

    /// The reference as the manifest writes it, `${env:NAME}` or `${file:PATH}`.
    public var reference: String {
        switch source {
        case .variable(let name): return "${env:\(name)}"
        case .file(let written, _): return "${file:\(written)}"
        }
    }

    /// The error a load that requires every value gives for it.
    public var problem: ManifestProblem {
        switch source {
        case .variable(let name): return .missingVariable(name: name, key: key, at: location)
        case .file(_, let resolved): return .unreadableFile(path: resolved, key: key, relative: true, at: location)
        }
    }

    /// The value is a setting of provider `name` (`providers.NAME.…`) or an attribute of one of its resources
    /// (`NAME.KIND.…`); a backend's or an environment's value belongs to no provider.
    public func belongs(toProvider name: String) -> Bool {
        key.hasPrefix("providers.\(name).") || key.hasPrefix("\(name).")
    }
}

extension Manifest {
    /// Throws the error a load that requires every variable would have given, when any value was deferred;
    /// what contacts a bank or writes what a bank needs calls it first.
    public func requireResolved() throws(ManifestError) {
        guard !deferred.isEmpty else { return }
        throw ManifestError(deferred.map(\.problem))
    }

    /// The providers with resources whose settings and resources hold no deferred value: those a bank can be asked
    /// about when the manifest was loaded offline.
    public var resolvedProviders: [String] {
        providers.map(\.name).filter { name in !deferred.contains { $0.belongs(toProvider: name) } }
    }
}

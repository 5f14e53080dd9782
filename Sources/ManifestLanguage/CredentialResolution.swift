/// How a load treats a `${env:NAME}` whose variable is not set (and has no default the load may use).
///
/// One mode per load, chosen by what the command does with the manifest: `Workspace.open(_:credentials:)` takes it.
public enum CredentialResolution: Sendable, Hashable {
    /// Every variable must be set: an unset one is an error. For whatever contacts a bank (plan, apply, drift, check,
    /// import, consent) or records a manifest's values in state (`confirm` of a manual step), and `validate --strict`.
    case required
    /// An unset variable is a note, not an error: its value is left out of the manifest and listed in
    /// `Manifest.deferred`, which no bank call and no state write accepts (`Manifest.requireResolved()`). For commands
    /// that read only the manifest's shape: `validate`, `graph`, `confirm gate.NAME`.
    case deferred
}

/// A secret value: every textual form of it is `(sensitive)`, or the manifest text it was written as (`${env:NAME}`);
/// only `revealed` gives the text.
///
/// Invariant: no `description`, `debugDescription`, reflection or interpolation shows any character of the secret.
/// `fingerprint`, when the engine set one, is a keyed hash that shows whether two secrets are equal without
/// showing either; it is not part of equality.
public struct Sensitive: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let revealed: String
    /// How the value is shown instead of `(sensitive)`: the reference it was read from, such as `${env:NAME}` or
    /// `${file:PATH}` (an ordinary attribute written with one), never the text it resolved to.
    public let shownAs: String?
    /// The keyed fingerprint a plan shows for a secret it sets (`SecretFingerprinter`), e.g. `3f9a12c4e07b`.
    public var fingerprint: String?

    public init(_ revealed: String) {
        self.init(revealed, shownAs: nil)
    }

    public init(_ revealed: String, shownAs: String?) {
        self.revealed = revealed
        self.shownAs = shownAs
    }

    /// `(sensitive)` or the reference, with the fingerprint when there is one:
    /// `(sensitive, fingerprint 3f9a12c4e07b)`, `${env:NAME} (fingerprint 3f9a12c4e07b)`.
    public var description: String {
        guard let fingerprint else { return shownAs ?? "(sensitive)" }
        return shownAs.map { "\($0) (fingerprint \(fingerprint))" } ?? "(sensitive, fingerprint \(fingerprint))"
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }

    public static func == (lhs: Sensitive, rhs: Sensitive) -> Bool {
        lhs.revealed == rhs.revealed && lhs.shownAs == rhs.shownAs
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(revealed)
        hasher.combine(shownAs)
    }
}

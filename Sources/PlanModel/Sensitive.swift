/// A secret value: every textual form of it is `(sensitive)`, or the manifest text it was written as (`${env:NAME}`);
/// only `revealed` gives the text.
///
/// Invariant: no `description`, `debugDescription`, reflection or interpolation shows the secret.
public struct Sensitive: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let revealed: String
    /// How the value is shown instead of `(sensitive)`: the reference it was read from, such as `${env:NAME}` or
    /// `${file:PATH}` (an ordinary attribute written with one), never the text it resolved to.
    public let shownAs: String?

    public init(_ revealed: String) {
        self.init(revealed, shownAs: nil)
    }

    public init(_ revealed: String, shownAs: String?) {
        self.revealed = revealed
        self.shownAs = shownAs
    }

    public var description: String { shownAs ?? "(sensitive)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

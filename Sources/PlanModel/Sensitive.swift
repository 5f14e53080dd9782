/// A secret value: every textual form of it is `(sensitive)`; only `revealed` gives the text.
///
/// Invariant: no `description`, `debugDescription`, reflection or interpolation shows the secret.
public struct Sensitive: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let revealed: String

    public init(_ revealed: String) {
        self.revealed = revealed
    }

    public var description: String { "(sensitive)" }
    public var debugDescription: String { "(sensitive)" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// A person's confirmation of a gate or a manual step: who, when, and an optional note (e.g. a ticket number).
public struct Confirmation: Codable, Sendable, Equatable {
    /// The login name of the person who ran `provision confirm`.
    public var by: String
    /// When, as ISO 8601 text.
    public var at: String
    public var note: String?

    public init(by: String, at: String, note: String? = nil) {
        self.by = by
        self.at = at
        self.note = note
    }
}

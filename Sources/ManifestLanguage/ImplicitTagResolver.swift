import Yams
import PlanModel

/// Resolves the tag of a plain, untagged scalar exactly as Yams' `Resolver.default` does, running its
/// regular expressions only for the scalars whose first character leaves the answer open.
///
/// Every rule of `Resolver.default` (bool, int, float, merge, null, timestamp, value) is anchored at the
/// start, and the only rules that can match a scalar starting with a letter other than a digit are the
/// bool and null words. So such a scalar is one of those words or `str`; scalars starting with a digit,
/// a sign, `.`, `<`, `~` or `=`, the empty scalar and any ending in a line break go to `Resolver.default`.
enum ImplicitTagResolver {
    static func tag(of text: String) -> Tag.Name {
        guard let first = text.utf8.first, !Self.openers.contains(first), text.utf8.last != UInt8(ascii: "\n") else {
            return Resolver.default.resolveTag(of: Node(text))
        }
        if Self.boolWords.contains(text) { return .bool }
        if Self.nullWords.contains(text) { return .null }
        return .str
    }

    /// First bytes with which an int, float, merge, null (`~`), timestamp or value scalar can begin.
    static let openers: Set<UInt8> = Set("0123456789+-.<~=".utf8)
    /// The words `Resolver.Rule.bool` matches.
    static let boolWords: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]
    /// The words `Resolver.Rule.null` matches, besides `~` and the empty scalar.
    static let nullWords: Set<String> = ["null", "Null", "NULL"]
}

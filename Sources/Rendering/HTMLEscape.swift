/// The HTML escape for text from outside (a bank's answer, state, the manifest's own text), in an element's content or
/// a quoted attribute value.
///
/// Invariant: escaped text renders as the characters it holds and nothing else: no element, no entity of its own, no
/// attribute ends early; controls and bidirectional marks show as `\u{…}` as on a terminal; at most `limit` characters.
public enum HTMLEscape {
    /// The text with `&`, `<`, `>`, `"` and `'` as character references.
    public static func text(_ text: String, limit: Int = TerminalEscape.fieldLimit) -> String {
        var out = ""
        for character in TerminalEscape.field(text, limit: limit) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// The Markdown escape for text from outside, for a pull-request comment (GitHub and GitLab flavoured Markdown).
///
/// Invariant: escaped text renders as the characters it holds and nothing else: no HTML element, no link or image,
/// no @mention, no emphasis, no code span of its own, no line break; in a table cell it never splits the row.
public enum MarkdownEscape {
    /// A zero-width space: breaks `@name`, `#123` and `://` so that no mention, reference or autolink forms.
    static let breaker = "&#8203;"
    /// ASCII punctuation that can start inline Markdown, written with a backslash.
    static let escaped: Set<Character> = ["\\", "`", "*", "_", "[", "]", "|", "~", "!", "$"]

    /// Prose from outside: HTML's `<`, `>` and `&` as entities, inline syntax backslash-escaped, mentions, issue
    /// references and links broken, line breaks as spaces, controls escaped as on a terminal, at most `limit` characters.
    public static func text(_ text: String, limit: Int = TerminalEscape.fieldLimit) -> String {
        let flat = TerminalEscape.field(singleLine(text), limit: limit)
        let characters = Array(flat)
        var out = ""
        for (index, character) in characters.enumerated() {
            let previous = index > 0 ? characters[index - 1] : " "
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "@", "#": out += String(character) + breaker
            case "/" where previous == ":": out += breaker + "/"
            case "." where index >= 3 && String(characters[(index - 3)..<index]).lowercased() == "www": out += breaker + "."
            // Inside a word an underscore is no emphasis (attribute names keep their look).
            case "_" where (previous.isLetter || previous.isNumber) && (next.isLetter || next.isNumber): out.append(character)
            case _ where escaped.contains(character): out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }

    /// A code span no content can close: delimited by one backtick more than the longest run inside, padded with a
    /// space when the content starts or ends with a backtick or a space; `|` as `\|` so a table row holds.
    /// Line breaks and controls are escaped as on a terminal; at most `limit` characters.
    public static func code(_ text: String, limit: Int = TerminalEscape.fieldLimit) -> String {
        let content = escapingPipes(TerminalEscape.field(singleLine(text), limit: limit))
        let delimiter = String(repeating: "`", count: longestRun(of: "`", in: content) + 1)
        let pad = content.isEmpty || content.first == "`" || content.last == "`" || content.first == " " || content.last == " "
        return delimiter + (pad ? " \(content) " : content) + delimiter
    }

    /// Every `|` written `\|`, with the backslashes before it made even first: a table reads `\\` as one escaped
    /// backslash, so `\|` in the text must not become a cell's end.
    static func escapingPipes(_ text: String) -> String {
        guard text.contains("|") else { return text }
        var out = ""
        var backslashes = 0
        for character in text {
            if character == "|" {
                if backslashes % 2 == 1 { out += "\\" }
                out += "\\|"
                backslashes = 0
            } else {
                out.append(character)
                backslashes = character == "\\" ? backslashes + 1 : 0
            }
        }
        return out
    }

    /// The fence for a code block holding `body`: backticks, one more than the longest run in it and at least three.
    public static func fence(for body: String) -> String {
        String(repeating: "`", count: max(3, longestRun(of: "`", in: body) + 1))
    }

    /// The text with every line break (`\r\n`, `\n`, `\r`, U+2028, U+2029) as one space.
    static func singleLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0
        }))
    }

    static func longestRun(of mark: Character, in text: String) -> Int {
        var longest = 0, current = 0
        for character in text {
            current = character == mark ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}

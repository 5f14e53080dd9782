/// The terminal's escape for text from outside (a bank's answer, an id, a request id, a file, a lock holder's name,
/// the manifest's own text): every control character as a visible `\u{…}`, and a cap on its length.
///
/// Invariant: the result holds no C0 control (line feed included, unless `lines` keeps it), no DEL, no C1 control, no
/// U+2028/U+2029 and no bidirectional control, so it can neither move the cursor, set a title or a link, rewrite the
/// line (`\r`), reorder what follows, nor pass for lines of its own.
public enum TerminalEscape {
    /// The cap on one field from outside, in Unicode scalars.
    public static let fieldLimit = 300

    /// One field on one line: a line feed is escaped as well; past `limit` scalars it is cut with `…` and how much was left.
    public static func field(_ text: String, limit: Int = fieldLimit) -> String {
        escape(text, keepingLineFeeds: false, limit: limit)
    }

    /// Text of several lines (what a command prints): line feeds kept, every other control escaped, no cap.
    public static func lines(_ text: String) -> String {
        escape(text, keepingLineFeeds: true, limit: .max)
    }

    /// True for a scalar a terminal or a bidirectional display would act on instead of showing.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F: return true
        case 0x2028, 0x2029: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    static func escape(_ text: String, keepingLineFeeds: Bool, limit: Int) -> String {
        // Printable ASCII within the cap (bytes are at least as many as scalars) is most text: returned as it is.
        if text.utf8.count <= limit, text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) || (keepingLineFeeds && $0 == 0x0A) }) {
            return text
        }
        let scalars = text.unicodeScalars
        var out = String.UnicodeScalarView()
        var taken = 0
        for scalar in scalars {
            if taken == limit {
                let left = scalars.count - limit
                return String(out) + "… (\(left) more character\(left == 1 ? "" : "s"))"
            }
            taken += 1
            if isUnsafe(scalar), !(keepingLineFeeds && scalar == "\n") {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}

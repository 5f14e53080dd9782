import Foundation

/// A JSON value, as the SePay simulator reads request bodies and writes answers.
///
/// Decoding is strict about types (`true` is not `1`, `"1"` is not `1`), and encoding keeps explicit
/// `null`s, which the documented envelopes need (`"errors": null`, `"data": null`).
enum SePayJSON: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([SePayJSON])
    case object([String: SePayJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([SePayJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: SePayJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var object: [String: SePayJSON]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// `.null` for nil.
    static func optional(_ value: String?) -> SePayJSON {
        value.map(SePayJSON.string) ?? .null
    }

    static func optional(_ value: Int?) -> SePayJSON {
        value.map(SePayJSON.int) ?? .null
    }

    /// Compact JSON with sorted keys and unescaped slashes.
    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map(Array.init) ?? Array("null".utf8)
    }

    static func decode(_ bytes: [UInt8]) -> SePayJSON? {
        try? JSONDecoder().decode(SePayJSON.self, from: Data(bytes))
    }
}

extension SePayJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(nilLiteral: ()) { self = .null }
    init(arrayLiteral elements: SePayJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, SePayJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

/// Small parsing helpers shared by the SePay routes.
enum SePayText {
    /// `application/x-www-form-urlencoded` pairs, `+` read as a space; later duplicates win.
    static func form(_ text: String) -> [String: String] {
        var items: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            items[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return items
    }

    /// The media type of a `Content-Type` header, lower-cased, without parameters.
    static func mediaType(_ header: String?) -> String? {
        header?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// A UUID in its canonical 8-4-4-4-12 hex form, any version, either case.
    static func isUUID(_ text: String) -> Bool {
        text.count == 36 && UUID(uuidString: text) != nil
    }

    static func newXID() -> String { UUID().uuidString.lowercased() }

    /// Lowercase hex of `count` random bytes.
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// `YYYY-MM-DD HH:MM:SS` in Vietnam time (UTC+7), as the SePay examples read.
    static func timestamp(_ date: Date) -> String {
        let parts = components(date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }

    /// `YYYY-MM-DD` in Vietnam time (UTC+7).
    static func date(_ date: Date) -> String {
        String(timestamp(date).prefix(10))
    }

    static func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    /// A `YYYY-MM-DD` string naming a real calendar date.
    static func isDate(_ text: String) -> Bool {
        guard text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil else { return false }
        let numbers = text.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let components = DateComponents(year: numbers[0], month: numbers[1], day: numbers[2])
        guard let date = calendar.date(from: components) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == numbers[0] && back.month == numbers[1] && back.day == numbers[2]
    }

    static func html(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

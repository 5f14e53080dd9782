/// Finds, in a JSON answer, the array held by one member of its top-level object: each item's bytes, and the answer
/// with the array replaced by `null`.
///
/// A decoder maps the whole text it is given before it decodes (about twice the answer's size), so a list of 50,000
/// accounts decoded at once holds the answer, that map and the decoded items together. Split, the items are decoded a
/// part at a time and the rest of the answer alone.
///
/// It reads structure only: strings (escapes included) and nesting. What it vouches for is what it checks: the
/// top-level object's members, the array's commas and brackets, and nothing but whitespace around them. Every other
/// byte reaches a decoder, either in `rest` or in an item, so nothing invalid passes unread. Anything it does not
/// expect (a member written twice, a key with an escape, text after the object) gives no split, and the caller
/// decodes the answer whole.
struct ListMemberSplitter {
    /// The answer split at the array.
    struct Split: Equatable {
        /// The answer with the array replaced by `null`.
        var rest: [UInt8]
        /// Each item's bytes in the answer, in order.
        var items: [Range<Int>]
    }

    let bytes: UnsafeRawBufferPointer
    let member: [UInt8]
    var at = 0

    /// The split of `bytes` at the array of member `member`, or nil when the answer is not a top-level object holding it.
    static func split(_ bytes: UnsafeRawBufferPointer, member: String) -> Split? {
        var splitter = ListMemberSplitter(bytes: bytes, member: Array(member.utf8))
        return splitter.objectSplit()
    }

    mutating func objectSplit() -> Split? {
        guard next() == UInt8(ascii: "{") else { return nil }
        var found: (array: Range<Int>, items: [Range<Int>])?
        var separator = UInt8(ascii: ",")
        while separator == UInt8(ascii: ",") {
            guard let key = keyBytes(), next() == UInt8(ascii: ":") else { return nil }
            skipWhitespace()
            if key.elementsEqual(member) {
                guard found == nil, peek() == UInt8(ascii: "[") else { return nil }
                let start = at
                guard let items = arrayItems() else { return nil }
                found = (start..<at, items)
            } else {
                guard skipValue() else { return nil }
            }
            separator = next() ?? 0
        }
        skipWhitespace()
        guard separator == UInt8(ascii: "}"), at == bytes.count, let found else { return nil }
        var rest = [UInt8](bytes[..<found.array.lowerBound])
        rest.append(contentsOf: "null".utf8)
        rest.append(contentsOf: bytes[found.array.upperBound...])
        return Split(rest: rest, items: found.items)
    }

    /// The items of the array at `at`, leaving `at` past its `]`.
    mutating func arrayItems() -> [Range<Int>]? {
        at += 1
        var items: [Range<Int>] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            at += 1
            return items
        }
        while true {
            skipWhitespace()
            let start = at
            guard skipValue() else { return nil }
            items.append(start..<at)
            switch next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"): return items
            default: return nil
            }
        }
    }

    /// The raw bytes of the key at `at` (after whitespace), leaving `at` past its closing quote; nil for a key with an escape.
    mutating func keyBytes() -> UnsafeRawBufferPointer.SubSequence? {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { return nil }
        let start = at + 1
        guard skipString() else { return nil }
        let key = bytes[start..<(at - 1)]
        return key.contains(UInt8(ascii: "\\")) ? nil : key
    }

    /// Moves past one value: a string, an object or array (by nesting), or a scalar (to the next delimiter).
    mutating func skipValue() -> Bool {
        guard let first = peek() else { return false }
        switch first {
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while let byte = peek() {
                switch byte {
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                at += 1
                if depth == 0 { return true }
            }
            return false
        default:
            let start = at
            while let byte = peek(), !Self.delimiters.contains(byte) { at += 1 }
            return at > start
        }
    }

    /// Moves past the string whose opening quote is at `at`.
    mutating func skipString() -> Bool {
        at += 1
        while let byte = peek() {
            at += 1
            if byte == UInt8(ascii: "\\") {
                at += 1
            } else if byte == UInt8(ascii: "\"") {
                return true
            }
        }
        return false
    }

    mutating func next() -> UInt8? {
        skipWhitespace()
        guard let byte = peek() else { return nil }
        at += 1
        return byte
    }

    func peek() -> UInt8? { at < bytes.count ? bytes[at] : nil }

    mutating func skipWhitespace() {
        while let byte = peek(), Self.whitespace.contains(byte) { at += 1 }
    }

    static let whitespace: [UInt8] = [0x20, 0x09, 0x0A, 0x0D]
    static let delimiters: [UInt8] = whitespace + Array(",}]:{[\"".utf8)
}

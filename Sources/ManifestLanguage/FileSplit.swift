/// Where one long manifest file is composed in two parts at once: before a key line of a block mapping past the
/// middle of the file, and from that line on under copies of the key lines that hold it.
///
/// Found from the text alone, and trusted only once both parts compose without a problem and their trees show the
/// structure the lines suggest (`ParseRun.partedRoot(of:)`); any other file, and any doubt, is read in one pass.
/// A file holding `&` or `*` is never split, so no alias can name an anchor written in the other part.
struct FileSplit {
    /// A key line holding the split line: a plain key and a colon, nothing after it but a comment.
    struct Holder: Equatable {
        let key: String
        /// 1-based line the key is written on.
        let line: Int
    }

    /// The file's lines before the split line, as written.
    let first: String
    /// The holders' lines, outermost first, as written, then the file's lines from the split line on.
    let second: String
    /// The key lines holding the split line, outermost first; the first is at column 1.
    let holders: [Holder]
    /// 1-based line and column of the split line's key: the column of every key of the mapping it continues.
    let line: Int
    let column: Int

    /// Line `n` of `second` past the holders' copies is the file's line `n + lineOffset`.
    var lineOffset: Int { line - holders.count - 1 }

    /// The split of `text`, or nil when it has no key line past its middle held by key lines alone.
    init?(text: String) {
        guard let found = text.utf8.withContiguousStorageIfAvailable({ Self.find(in: $0) }) ?? nil else { return nil }
        let utf8 = text.utf8
        let splitAt = utf8.index(utf8.startIndex, offsetBy: found.offset)
        first = String(text[..<splitAt])
        second = found.copies.map { String(decoding: $0, as: UTF8.self) }.joined() + String(text[splitAt...])
        holders = found.holders
        line = found.line
        column = found.column
    }

    /// The file's tree from the trees of `first` and `second`, or nil when they do not show what the lines suggest:
    /// each holder the last key of its mapping in the first part and the first in the second, the keys of the mapping
    /// the split line continues all at `column`, and no key written in both parts of one mapping (which one pass
    /// reports as a duplicate).
    func joined(_ firstTree: ManifestNode, _ secondTree: ManifestNode) -> ManifestNode? {
        joined(firstTree, secondTree, holders[...])
    }

    private func joined(_ firstTree: ManifestNode, _ secondTree: ManifestNode, _ holders: ArraySlice<Holder>) -> ManifestNode? {
        guard case .mapping(var entries, let at) = firstTree, case .mapping(let secondEntries, _) = secondTree,
              let last = entries.last, let opening = secondEntries.first else { return nil }
        guard let holder = holders.first else {
            let continues = opening.keyLocation.line == line && entries.allSatisfy { $0.keyLocation.column == column }
                && opening.keyLocation.column == column
            return continues && Self.disjoint(entries, secondEntries[...]) ? .mapping(entries + secondEntries, at: at) : nil
        }
        let rest = secondEntries.dropFirst()
        guard last.key == holder.key, last.keyLocation.line == holder.line, opening.key == holder.key,
              Self.disjoint(entries, rest), let value = joined(last.value, opening.value, holders.dropFirst()) else { return nil }
        entries[entries.count - 1].value = value
        return .mapping(entries + rest, at: at)
    }

    private static func disjoint(_ entries: [ManifestNode.Entry], _ others: ArraySlice<ManifestNode.Entry>) -> Bool {
        guard !others.isEmpty else { return true }
        let keys = Set(entries.map(\.key))
        return !others.contains { keys.contains($0.key) }
    }

    /// Byte offset, line and column of the split line, its holders and copies of their lines (newline included).
    private struct Found {
        var offset: Int
        var line: Int
        var column: Int
        var holders: [Holder]
        var copies: [[UInt8]]
    }

    private static let newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")

    /// How many lines past the middle are tried as the split line before the file is read in one pass.
    private static let tries = 256

    private static func find(in bytes: UnsafeBufferPointer<UInt8>) -> Found? {
        guard !bytes.contains(UInt8(ascii: "&")), !bytes.contains(UInt8(ascii: "*")) else { return nil }
        guard var start = bytes[(bytes.count / 2)...].firstIndex(of: newline).map({ $0 + 1 }) else { return nil }
        var line = 1 + bytes[..<start].reduce(0) { $1 == newline ? $0 + 1 : $0 }
        for _ in 0..<tries where start < bytes.count {
            let end = bytes[start...].firstIndex(of: newline) ?? bytes.count
            if let key = keyLine(bytes, start..<end, valueAllowed: true), key.indent > 0,
               let found = holders(of: start, line: line, indent: key.indent, in: bytes) {
                return found
            }
            start = end + 1
            line += 1
        }
        return nil
    }

    /// Walks back from the split line to column 1: each line less indented than the last one met must be a holder,
    /// and the split line must have a line of its mapping before it (so that the first part holds some of it).
    private static func holders(of start: Int, line: Int, indent: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Found? {
        var found = Found(offset: start, line: line, column: indent + 1, holders: [], copies: [])
        var limit = indent
        var sibling = false
        var end = start - 1
        var number = line
        while limit > 0, end > 0 {
            let lineStart = bytes[..<end].lastIndex(of: newline).map { $0 + 1 } ?? 0
            let range = lineStart..<end
            number -= 1
            end = lineStart - 1
            let lineIndent = bytes[range].prefix { $0 == space }.count
            let text = range.lowerBound + lineIndent
            if text == range.upperBound || bytes[text] == UInt8(ascii: "#") || bytes[text] == UInt8(ascii: "\r") { continue }
            guard lineIndent < limit else {
                if limit == indent { sibling = true }
                continue
            }
            guard sibling, let key = keyLine(bytes, range, valueAllowed: false) else { return nil }
            found.holders.insert(Holder(key: key.text, line: number), at: 0)
            found.copies.insert(Array(bytes[range.lowerBound...range.upperBound]), at: 0)
            limit = lineIndent
        }
        return limit == 0 ? found : nil
    }

    /// The indent and key of a line that is a plain key (a letter, digit or `_`, then letters, digits, `_`, `-`,
    /// `.` or `/`) and a colon; after the colon a space and a value when `valueAllowed`, else only a comment.
    private static func keyLine(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, valueAllowed: Bool) -> (indent: Int, text: String)? {
        var index = range.lowerBound
        while index < range.upperBound, bytes[index] == space { index += 1 }
        let keyStart = index
        guard index < range.upperBound, isKeyStart(bytes[index]) else { return nil }
        while index < range.upperBound, isKeyStart(bytes[index]) || isKeyMiddle(bytes[index]) { index += 1 }
        guard index < range.upperBound, bytes[index] == UInt8(ascii: ":") else { return nil }
        let key = (indent: keyStart - range.lowerBound, text: String(decoding: bytes[keyStart..<index], as: UTF8.self))
        let rest = bytes[(index + 1)..<range.upperBound].drop { $0 == space }
        let ended = rest.isEmpty || rest.first == UInt8(ascii: "\r") || rest.first == UInt8(ascii: "#")
        if valueAllowed {
            return index + 1 == range.upperBound || bytes[index + 1] == space || bytes[index + 1] == UInt8(ascii: "\r") ? key : nil
        }
        return ended && (rest.first != UInt8(ascii: "#") || rest.startIndex > index + 1) ? key : nil
    }

    private static func isKeyStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    private static func isKeyMiddle(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
    }
}

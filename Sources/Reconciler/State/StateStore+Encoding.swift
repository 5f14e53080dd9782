import Foundation
import PlanModel

extension StateStore {
    /// Resources encoded at a time when the state is written.
    static let encodingChunk = 1000

    /// The encoder of `state.json`: pretty-printed, keys sorted, slashes as they are.
    static func stateEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `state` as `stateEncoder()` writes it, byte for byte, with its resources encoded `encodingChunk` at a time.
    ///
    /// `JSONEncoder` builds a tree of the whole value before it writes a byte, several times the size of the text; for
    /// a state of 50,000 resources that tree was the largest thing an apply held. Here it holds one chunk's tree and
    /// the text. Resources go in the order `sortedKeys` gives (their addresses as text, by `<`).
    static func encoded(_ state: State) throws -> Data {
        let encoder = stateEncoder()
        guard state.resources.count > encodingChunk else { return try encoder.encode(state) }
        var shell = state
        shell.resources = [:]
        let outline = [UInt8](try encoder.encode(shell))
        // An empty mapping at the top level, as the pretty printer writes it; nothing else in the outline has this text.
        let empty = Array("\n  \"resources\" : {\n\n  }".utf8)
        guard let slot = outline.firstRange(of: empty) else { return try encoder.encode(state) }
        var text = Data(outline[..<slot.lowerBound])
        text.append(contentsOf: "\n  \"resources\" : {\n".utf8)
        let addresses = state.resources.keys.map { (text: $0.description, address: $0) }.sorted { $0.text < $1.text }
        for start in stride(from: 0, to: addresses.count, by: encodingChunk) {
            let part = addresses[start..<min(start + encodingChunk, addresses.count)]
            let entries = Dictionary(uniqueKeysWithValues: part.map { ($0.text, state.resources[$0.address]!) })
            let members = [UInt8](try encoder.encode(entries))
            // Room for the whole text at once, guessed from the first part, instead of growing it by copies.
            if start == 0 { text.reserveCapacity(outline.count + (members.count + 64) * (addresses.count / part.count + 1)) }
            if start > 0 { text.append(contentsOf: ",\n".utf8) }
            guard appendMembers(of: members, to: &text) else { return try encoder.encode(state) }
        }
        text.append(contentsOf: "\n  }".utf8)
        text.append(contentsOf: outline[slot.upperBound...])
        return text
    }

    /// Appends the members of a pretty-printed object (`{`, lines, `}`) one level deeper: without its braces, every
    /// line but a blank one indented two more spaces. JSON strings hold no raw line breaks, so every line break is the
    /// printer's.
    /// False, with nothing appended, for text of another shape.
    static func appendMembers(of object: [UInt8], to text: inout Data) -> Bool {
        let newline = UInt8(ascii: "\n")
        guard object.count >= 4, object.first == UInt8(ascii: "{"), object[1] == newline, object[object.count - 2] == newline,
              object.last == UInt8(ascii: "}") else { return false }
        for line in object[2..<(object.count - 2)].split(separator: newline, omittingEmptySubsequences: false) {
            if line.startIndex > 2 { text.append(newline) }
            // The printer leaves the inside of an empty object a blank line, at every depth.
            if !line.isEmpty { text.append(contentsOf: "  ".utf8) }
            text.append(contentsOf: line)
        }
        return true
    }
}

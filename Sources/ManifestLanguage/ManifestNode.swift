import Yams
import PlanModel

/// A YAML value with the place it was written, independent of the YAML library.
public indirect enum ManifestNode: Sendable {
    public enum Scalar: Sendable, Equatable {
        case null
        case boolean(Bool)
        case integer(Int)
        case float(Double)
        case string(String)
    }

    public struct Entry: Sendable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: ManifestNode
    }

    /// `text` is the scalar as written; `value` what YAML's core schema makes of it.
    case scalar(text: String, value: Scalar, at: SourceLocation)
    case mapping([Entry], at: SourceLocation)
    case sequence([ManifestNode], at: SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(_, _, let at), .mapping(_, let at), .sequence(_, let at): return at
        }
    }

    public var isNull: Bool {
        if case .scalar(_, .null, _) = self { return true }
        return false
    }

    /// Why a YAML tree cannot be a manifest, found while converting it.
    enum ConversionProblem: Error {
        /// Aliases add more nodes than the budget (a "billion laughs" file).
        case tooLarge(limit: Int, at: SourceLocation)
        /// An explicit tag the manifest language does not use, such as `!!binary`.
        case unsupportedTag(String, at: SourceLocation)
    }

    /// The most nodes the aliases of one manifest file may add, each alias counting every node of what it repeats;
    /// far above any real use. The nodes the file writes out are not counted: a plain file of any size loads.
    public static let nodeBudget = 200_000

    /// Tags a manifest's nodes may carry: YAML's core schema, and none of its binary or collection extensions.
    static let allowedTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:float", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
        "tag:yaml.org,2002:merge", "?", "!", "",
    ]

    /// Converts a Yams tree (aliases already followed by Yams: an alias is its anchor's node again), counting
    /// against `nodeBudget` the nodes that aliases add.
    /// A mapping with more than `partSize` entries is converted in two parts at once (the same result as one pass).
    /// `lineOffset` is added to every line: the tree is of a part of the file that starts past its first line.
    static func converting(
        _ node: Node, file: String, partSize: Int = Concurrently.partSize, lineOffset: Int = 0
    ) throws(ConversionProblem) -> ManifestNode {
        var conversion = Conversion(file: file, partSize: partSize, lineOffset: lineOffset)
        return try conversion.convert(node, repeated: false)
    }

    /// One file's conversion: where it is, how far into the file it has come, and how many more nodes aliases may add.
    ///
    /// Nodes a file writes out are met in the order they are written, each starting after the one before; a node
    /// that starts at or before the last one met is one an alias repeats (its anchor was written earlier), and
    /// every node below it is too.
    struct Conversion {
        let file: String
        /// A mapping with more entries than this is converted in two parts at once.
        let partSize: Int
        /// Added to every line the YAML library reports.
        let lineOffset: Int
        var budget = ManifestNode.nodeBudget
        /// Line and column of the last node met where the file writes it.
        var frontier = (line: 0, column: 0)

        /// `node` as a `ManifestNode`; `repeated` when an alias repeats it (then every node below is charged to the budget).
        mutating func convert(_ node: Node, repeated: Bool) throws(ConversionProblem) -> ManifestNode {
            let mark = node.mark
            let place = (line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
            let at = SourceLocation(file: file, line: place.line, column: place.column)
            var repeated = repeated
            if !repeated {
                if place <= frontier { repeated = true } else { frontier = place }
            }
            if repeated {
                budget -= 1
                guard budget >= 0 else { throw .tooLarge(limit: ManifestNode.nodeBudget, at: at) }
            }
            let tag = ManifestNode.tag(of: node)
            guard tag == .str || ManifestNode.allowedTags.contains(tag.rawValue) else { throw .unsupportedTag(tag.rawValue, at: at) }
            switch node {
            case .scalar(let scalar):
                return .scalar(text: scalar.string, value: ManifestNode.value(of: node, scalar, tag: tag), at: at)
            case .mapping(let mapping):
                if !repeated, mapping.count > partSize, let entries = convertInParts(mapping) {
                    return .mapping(entries, at: at)
                }
                return .mapping(try convertEntries(mapping, mapping.startIndex..<mapping.endIndex, repeated: repeated), at: at)
            case .sequence(let sequence):
                var items: [ManifestNode] = []
                items.reserveCapacity(sequence.count)
                for item in sequence {
                    items.append(try convert(item, repeated: repeated))
                }
                return .sequence(items, at: at)
            case .alias:
                return .scalar(text: "", value: .null, at: at)
            }
        }

        /// The entries of `mapping` at `indices`, in order (by index: the mapping's own iterator copies every pair).
        mutating func convertEntries(_ mapping: Node.Mapping, _ indices: Range<Int>, repeated: Bool) throws(ConversionProblem) -> [Entry] {
            var entries: [Entry] = []
            entries.reserveCapacity(indices.count)
            for index in indices {
                let (key, value) = mapping[index]
                let keyMark = key.mark
                let keyAt = SourceLocation(file: file, line: (keyMark?.line ?? 1) + lineOffset, column: keyMark?.column ?? 1)
                entries.append(Entry(key: key.string ?? "", keyLocation: keyAt, value: try convert(value, repeated: repeated)))
            }
            return entries
        }

        /// The entries of a long mapping the file writes out, converted in two parts at once; nil when either part
        /// finds a problem or the two together spend more than the budget, and then the caller converts the mapping
        /// in one pass, which finds the first problem in file order.
        ///
        /// The second part starts with its frontier at the key that opens it: every node the first part meets is
        /// written before that key, so a node of the second part at or before it is one an alias repeats, as in one pass.
        mutating func convertInParts(_ mapping: Node.Mapping) -> [Entry]? {
            let middle = mapping.startIndex + mapping.count / 2
            let opening = mapping[middle].key.mark
            var second = self
            second.frontier = (line: (opening?.line ?? 1) + lineOffset, column: opening?.column ?? 0)
            let parts = (self, second)
            let tree = UncheckedTree(mapping: mapping)
            let (first, last) = Concurrently.both(
                { () -> (Conversion, [Entry])? in
                    var part = parts.0
                    guard let entries = try? part.convertEntries(tree.mapping, tree.mapping.startIndex..<middle, repeated: false) else { return nil }
                    return (part, entries)
                },
                { () -> (Conversion, [Entry])? in
                    var part = parts.1
                    guard let entries = try? part.convertEntries(tree.mapping, middle..<tree.mapping.endIndex, repeated: false) else { return nil }
                    return (part, entries)
                })
            guard let first, let last else { return nil }
            let spent = (budget - first.0.budget) + (budget - last.0.budget)
            guard spent <= budget else { return nil }
            budget -= spent
            frontier = last.0.frontier
            return first.1 + last.1
        }
    }

    /// A Yams tree read by two threads at once: only read, never changed, while both parts convert it.
    struct UncheckedTree: @unchecked Sendable {
        let mapping: Node.Mapping
    }

    /// The node's tag as `Resolver.default` resolves it; the tree is composed with `Resolver.basic`, so a plain
    /// untagged scalar still carries the implicit tag and is resolved here, without Yams' regular expressions.
    ///
    /// Reads the tag each node holds and never `Node.tag`, which resolves an implicit tag by changing the shared
    /// `Tag` object: a node an alias repeats may be converted by two threads at once (`convertInParts`).
    static func tag(of node: Node) -> Tag.Name {
        let scalar: Node.Scalar
        switch node {
        case .mapping(let mapping): return Tag.Name(rawValue: mapping.tag.description)
        case .sequence(let sequence): return Tag.Name(rawValue: sequence.tag.description)
        case .alias(let alias): return Tag.Name(rawValue: alias.tag.description)
        case .scalar(let held): scalar = held
        }
        switch Tag.Name(rawValue: scalar.tag.description) {
        case .implicit: return ImplicitTagResolver.tag(of: scalar.string)
        case .nonSpecific: return .str
        case let name: return name
        }
    }

    /// What YAML's core schema makes of a scalar whose resolved tag is `tag`.
    static func value(of node: Node, _ scalar: Node.Scalar, tag: Tag.Name) -> Scalar {
        if tag == .str { return .string(scalar.string) }
        if node.null != nil { return .null }
        if let flag = node.bool { return .boolean(flag) }
        if let number = node.int { return .integer(number) }
        if let number = node.float { return .float(number) }
        return .string(scalar.string)
    }

    /// `override` laid over `self`: mappings merge key by key, anything else is replaced. Keys are found through
    /// an index, so the cost is linear in both mappings.
    func merged(with override: ManifestNode) -> ManifestNode {
        guard case .mapping(var entries, let at) = self, case .mapping(let overrides, _) = override else { return override }
        var positions = MergedMapping(entries).positions
        for entry in overrides {
            if let index = positions[entry.key] {
                entries[index].value = entries[index].value.merged(with: entry.value)
            } else {
                positions[entry.key] = entries.count
                entries.append(entry)
            }
        }
        return .mapping(entries, at: at)
    }
}

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
        /// Aliases expand the tree past the node budget (a "billion laughs" file).
        case tooLarge(limit: Int, at: SourceLocation)
        /// An explicit tag the manifest language does not use, such as `!!binary`.
        case unsupportedTag(String, at: SourceLocation)
    }

    /// The most nodes a manifest file may expand to, aliases followed; far above any real manifest.
    public static let nodeBudget = 200_000

    /// Tags a manifest's nodes may carry: YAML's core schema, and none of its binary or collection extensions.
    static let allowedTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:float", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
        "tag:yaml.org,2002:merge", "?", "!", "",
    ]

    /// Converts a Yams node (aliases already followed by Yams), counting every node against `budget`.
    static func converting(_ node: Node, file: String) throws(ConversionProblem) -> ManifestNode {
        var budget = nodeBudget
        return try ManifestNode(node, file: file, budget: &budget)
    }

    init(_ node: Node, file: String, budget: inout Int) throws(ConversionProblem) {
        let at = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        budget -= 1
        guard budget >= 0 else { throw .tooLarge(limit: Self.nodeBudget, at: at) }
        let tag = Self.tag(of: node)
        guard Self.allowedTags.contains(tag.rawValue) else { throw .unsupportedTag(tag.rawValue, at: at) }
        switch node {
        case .scalar(let scalar):
            self = .scalar(text: scalar.string, value: Self.value(of: node, scalar, tag: tag), at: at)
        case .mapping(let mapping):
            var entries: [Entry] = []
            for (key, value) in mapping {
                let keyAt = SourceLocation(file: file, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1)
                entries.append(Entry(key: key.string ?? "", keyLocation: keyAt, value: try ManifestNode(value, file: file, budget: &budget)))
            }
            self = .mapping(entries, at: at)
        case .sequence(let sequence):
            var items: [ManifestNode] = []
            for item in sequence {
                items.append(try ManifestNode(item, file: file, budget: &budget))
            }
            self = .sequence(items, at: at)
        case .alias:
            self = .scalar(text: "", value: .null, at: at)
        }
    }

    /// The node's tag as `Resolver.default` resolves it; the tree is composed with `Resolver.basic`, so a plain
    /// untagged scalar still carries the implicit tag and is resolved here, without Yams' regular expressions.
    static func tag(of node: Node) -> Tag.Name {
        guard case .scalar(let scalar) = node else { return Tag.Name(rawValue: node.tag.description) }
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

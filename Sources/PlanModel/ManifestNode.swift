import Yams

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

    /// Converts a Yams node; aliases are followed by Yams itself.
    init(_ node: Node, file: String) {
        let at = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            let value: Scalar
            if node.tag.description == Tag.Name.str.rawValue {
                value = .string(scalar.string)
            } else if node.null != nil {
                value = .null
            } else if let flag = node.bool {
                value = .boolean(flag)
            } else if let number = node.int {
                value = .integer(number)
            } else if let number = node.float {
                value = .float(number)
            } else {
                value = .string(scalar.string)
            }
            self = .scalar(text: scalar.string, value: value, at: at)
        case .mapping(let mapping):
            self = .mapping(mapping.map { key, value in
                Entry(key: key.string ?? "", keyLocation: SourceLocation(file: file, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1),
                      value: ManifestNode(value, file: file))
            }, at: at)
        case .sequence(let sequence):
            self = .sequence(sequence.map { ManifestNode($0, file: file) }, at: at)
        case .alias:
            self = .scalar(text: "", value: .null, at: at)
        }
    }

    /// `override` laid over `self`: mappings merge key by key, anything else is replaced.
    func merged(with override: ManifestNode) -> ManifestNode {
        guard case .mapping(var entries, let at) = self, case .mapping(let overrides, _) = override else { return override }
        for entry in overrides {
            if let index = entries.firstIndex(where: { $0.key == entry.key }) {
                entries[index].value = entries[index].value.merged(with: entry.value)
            } else {
                entries.append(entry)
            }
        }
        return .mapping(entries, at: at)
    }
}

/// One thing wrong with a manifest: what, where, and how to fix it.
public enum ManifestProblem: Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case noManifestFiles(path: String)
    case yamlSyntax(message: String, at: SourceLocation)
    case unsupportedVersion(found: String, at: SourceLocation)
    case unknownKey(key: String, context: String, known: [String], at: SourceLocation)
    case missingKey(key: String, context: String, at: SourceLocation)
    case wrongType(key: String, expected: String, at: SourceLocation)
    case unknownProviderType(type: String, provider: String, known: [String], at: SourceLocation)
    case unknownProvider(section: String, known: [String], at: SourceLocation)
    case unknownKind(kind: String, providerType: String, known: [String], at: SourceLocation)
    case unknownReference(name: String, kind: String, from: String, known: [String], at: SourceLocation)
    case missingVariable(name: String, key: String, at: SourceLocation)
    case malformedInterpolation(text: String, key: String, at: SourceLocation)
    case invalidURL(key: String, value: String, reason: String, at: SourceLocation)
    case invalidName(name: String, at: SourceLocation)
    case duplicate(name: String, first: SourceLocation, at: SourceLocation)
    case duplicateNaturalKey(key: String, value: String, other: String, at: SourceLocation)

    public var location: SourceLocation? {
        switch self {
        case .unreadable, .noManifestFiles: return nil
        case .yamlSyntax(_, let at), .unsupportedVersion(_, let at), .unknownKey(_, _, _, let at),
             .missingKey(_, _, let at), .wrongType(_, _, let at), .unknownProviderType(_, _, _, let at),
             .unknownProvider(_, _, let at), .unknownKind(_, _, _, let at), .unknownReference(_, _, _, _, let at),
             .missingVariable(_, _, let at), .malformedInterpolation(_, _, let at), .invalidURL(_, _, _, let at),
             .invalidName(_, let at), .duplicate(_, _, let at), .duplicateNaturalKey(_, _, _, let at):
            return at
        }
    }

    public var description: String {
        let place = location.map { " (\($0))" } ?? ""
        switch self {
        case .unreadable(let path, let reason):
            return "error: Cannot read \(path): \(reason)."
        case .noManifestFiles(let path):
            return "error: No *.yaml manifest files in \(path). Pass a manifest file or a folder that holds one."
        case .yamlSyntax(let message, _):
            return "error: YAML syntax: \(message)\(place). Fix the YAML at that place."
        case .unsupportedVersion(let found, _):
            return "error: Unsupported manifest version \(found)\(place). Write `version: 1`."
        case .unknownKey(let key, let context, let known, _):
            return "error: Unknown key \"\(key)\" in \(context)\(place).\(Self.didYouMean(key, known)) Known keys: \(known.sorted().joined(separator: ", "))."
        case .missingKey(let key, let context, _):
            return "error: Missing required key \"\(key)\" in \(context)\(place). Add `\(key): ...`."
        case .wrongType(let key, let expected, _):
            return "error: \"\(key)\" must be \(expected)\(place)."
        case .unknownProviderType(let type, let provider, let known, _):
            return "error: Unknown provider type \"\(type)\" for provider \"\(provider)\"\(place).\(Self.didYouMean(type, known)) Known types: \(known.sorted().joined(separator: ", "))."
        case .unknownProvider(let section, let known, _):
            let list = known.isEmpty ? "none (declare it under providers:)" : known.sorted().joined(separator: ", ")
            return "error: Unknown provider \"\(section)\" in section \"\(section)\"\(place).\(Self.didYouMean(section, known)) Known providers: \(list)."
        case .unknownKind(let kind, let providerType, let known, _):
            return "error: Unknown resource kind \"\(kind)\" for a \(providerType) provider\(place).\(Self.didYouMean(kind, known)) Known kinds: \(known.sorted().joined(separator: ", "))."
        case .unknownReference(let name, let kind, let from, let known, _):
            let list = known.isEmpty ? "there are none; add one under \(kind)" : "defined: \(known.sorted().joined(separator: ", "))"
            return "error: \(from) refers to \"\(name)\", which is not defined in \(kind)\(place).\(Self.didYouMean(name, known)) In \(kind) \(list)."
        case .missingVariable(let name, let key, _):
            return "error: Environment variable \(name) is not set, used by \"\(key)\"\(place). Set it, or write ${env:\(name):-default}."
        case .malformedInterpolation(let text, let key, _):
            return "error: Cannot read \"\(text)\" in \"\(key)\"\(place). Write ${env:NAME} or ${env:NAME:-default}."
        case .invalidURL(let key, let value, let reason, _):
            return "error: \"\(key)\" is not a valid URL (\(value): \(reason))\(place). Write an absolute URL such as https://hooks.example.com/bank."
        case .invalidName(let name, _):
            return "error: Invalid name \"\(name)\"\(place). Names use letters, digits, '_' and '-', and start with a letter or digit."
        case .duplicate(let name, let first, _):
            return "error: \"\(name)\" is defined twice\(place); first defined at \(first). Remove or rename one."
        case .duplicateNaturalKey(let key, let value, let other, _):
            return "error: Two resources have the same \(value)\(place); the other is \(other). The bank cannot tell them apart: make \(key) differ."
        }
    }

    static func didYouMean(_ word: String, _ candidates: [String]) -> String {
        guard let best = Suggestion.nearest(to: word, in: candidates) else { return "" }
        return " Did you mean \"\(best)\"?"
    }
}

/// Every problem found in a manifest, sorted by location.
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    public let problems: [ManifestProblem]

    public init(_ problems: [ManifestProblem]) {
        self.problems = problems.sorted { lhs, rhs in
            switch (lhs.location, rhs.location) {
            case let (l?, r?): return l == r ? lhs.description < rhs.description : l < r
            case (nil, _?): return true
            case (_?, nil): return false
            case (nil, nil): return lhs.description < rhs.description
            }
        }
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// Nearest-name suggestions for "did you mean".
public enum Suggestion {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.filter { $0 != word }.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return nil }
        let limit = max(2, min(word.count, best.0.count) / 3)
        return best.1 <= limit ? best.0 : nil
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

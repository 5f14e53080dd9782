import Foundation

/// One thing wrong with a manifest: what, where, and how to fix it, and how bad it is.
public enum ManifestProblem: Sendable, Hashable, CustomStringConvertible {
    /// An error stops the manifest from loading; a warning or a note does not.
    public enum Severity: String, Sendable {
        /// The manifest cannot be used.
        case error
        /// The manifest loads, but something in it is risky (a secret written as plain text).
        case warning
        /// The manifest loads; something is left for later (a variable deferred to the commands that need it).
        case note
    }

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
    /// A provider setting's or a secret's variable unset in a production environment, where a default written in the
    /// manifest (`hadDefault`) is not used.
    case productionVariableUnset(name: String, key: String, environment: String, hadDefault: Bool, at: SourceLocation)
    /// A variable not set, or a `${file:}` that cannot be read, while loading with deferred credentials: the value is
    /// left out until a command that contacts a bank needs it, in `environments` (empty for a manifest that declares none). A note.
    case valueDeferred(DeferredValue.Source, key: String, environments: [String], at: SourceLocation)
    /// A sensitive attribute or setting written as plain text in the manifest, not `${env:}` or `${file:}`: a warning,
    /// and an error in production environment `production`.
    case literalSecret(key: String, production: String?, at: SourceLocation)
    case malformedInterpolation(text: String, key: String, at: SourceLocation)
    /// `example` says what to write instead.
    case invalidURL(key: String, example: String, reason: String, at: SourceLocation)
    /// A computed attribute written in the manifest: the bank assigns it.
    case computedKey(key: String, context: String, at: SourceLocation)
    /// A setting of the right type that the bank cannot use (e.g. a PEM block that holds no key).
    case invalidSetting(key: String, reason: String, at: SourceLocation)
    case invalidName(name: String, at: SourceLocation)
    case duplicate(name: String, first: SourceLocation, at: SourceLocation)
    case duplicateNaturalKey(key: String, value: String, other: String, at: SourceLocation)
    case invalidValue(key: String, value: String, allowed: [String], at: SourceLocation)
    case outOfRange(key: String, rule: String, at: SourceLocation)
    case patternMismatch(key: String, meaning: String, at: SourceLocation)
    case insecureURL(key: String, environment: String, at: SourceLocation)
    case sandboxInProduction(provider: String, environment: String, at: SourceLocation)
    case unknownEnvironment(name: String, known: [String])
    case environmentRequired(known: [String])
    case unreadableFile(path: String, key: String, relative: Bool, at: SourceLocation)
    /// A `${file:}` the manifest may not read (`rule`): `reference` as written, `root` the folder it must stay in.
    case fileRefused(reference: String, key: String, rule: FileRule, root: String?, at: SourceLocation)
    case referenceCycle(cycle: [String], at: SourceLocation)
    /// Environments whose `promotes_from:` lead back to themselves, in order, the first repeated at the end.
    case promotionCycle(environments: [String], at: SourceLocation)
    /// A `moved:` entry that cannot be followed; `reason` says why and how to fix it.
    case invalidMove(from: String, to: String, reason: String, at: SourceLocation)
    /// A provider endpoint over plain http to a host that is not this machine, without `allow_insecure_http: true`.
    case insecureEndpoint(provider: String, at: SourceLocation)
    /// A URL that carries a user name or password (`https://user:pass@host`).
    case credentialsInURL(key: String, at: SourceLocation)

    public var location: SourceLocation? {
        switch self {
        case .unreadable, .noManifestFiles, .unknownEnvironment, .environmentRequired: return nil
        case .yamlSyntax(_, let at), .unsupportedVersion(_, let at), .unknownKey(_, _, _, let at),
             .missingKey(_, _, let at), .wrongType(_, _, let at), .unknownProviderType(_, _, _, let at),
             .unknownProvider(_, _, let at), .unknownKind(_, _, _, let at), .unknownReference(_, _, _, _, let at),
             .missingVariable(_, _, let at), .productionVariableUnset(_, _, _, _, let at), .valueDeferred(_, _, _, let at),
             .literalSecret(_, _, let at), .malformedInterpolation(_, _, let at), .invalidURL(_, _, _, let at),
             .invalidName(_, let at), .duplicate(_, _, let at), .duplicateNaturalKey(_, _, _, let at),
             .invalidValue(_, _, _, let at), .outOfRange(_, _, let at), .patternMismatch(_, _, let at),
             .insecureURL(_, _, let at), .sandboxInProduction(_, _, let at), .unreadableFile(_, _, _, let at),
             .referenceCycle(_, let at), .invalidSetting(_, _, let at), .computedKey(_, _, let at), .invalidMove(_, _, _, let at), .promotionCycle(_, let at),
             .fileRefused(_, _, _, _, let at), .insecureEndpoint(_, let at), .credentialsInURL(_, let at):
            return at
        }
    }

    /// How bad it is: an error stops the manifest from loading; a warning is reported and the manifest still loads.
    public var severity: Severity {
        switch self {
        case .valueDeferred: return .note
        case .literalSecret(_, let production, _): return production == nil ? .warning : .error
        default: return .error
        }
    }

    /// The problem as one line: its severity, then what, where and how to fix it.
    public var description: String {
        "\(severity.rawValue): \(message)"
    }

    /// What, where and how to fix it, without the severity.
    public var message: String {
        let place = location.map { " (\($0))" } ?? ""
        switch self {
        case .unreadable(let path, let reason):
            return "Cannot read \(path): \(reason)."
        case .noManifestFiles(let path):
            let folder = Invocation.isDefault(path) ? "the current folder" : "\"\(path)\""
            return "No *.yaml manifest files in \(folder). Pass a manifest file or a folder that holds one, or run the command in the manifest's folder."
        case .yamlSyntax(let message, _):
            return "YAML syntax: \(message)\(place). Fix the YAML at that place."
        case .unsupportedVersion(let found, _):
            return "Unsupported manifest version \(found)\(place). Write `version: 1`, the number 1 without quotes."
        case .unknownKey(let key, let context, let known, _):
            return "Unknown key \"\(key)\" in \(context)\(place).\(Self.didYouMean(key, known)) Known keys: \(known.sorted().joined(separator: ", "))."
        case .missingKey(let key, let context, _):
            return "Missing required key \"\(key)\" in \(context)\(place). Add `\(key): ...`."
        case .wrongType(let key, let expected, _):
            return "\"\(key)\" must be \(expected)\(place)."
        case .unknownProviderType(let type, let provider, let known, _):
            return "Unknown provider type \"\(type)\" for provider \"\(provider)\"\(place).\(Self.didYouMean(type, known)) Known types: \(known.sorted().joined(separator: ", "))."
        case .unknownProvider(let section, let known, _):
            let list = known.isEmpty ? "none (declare it under providers:)" : known.sorted().joined(separator: ", ")
            return "Unknown provider \"\(section)\" in section \"\(section)\"\(place).\(Self.didYouMean(section, known)) Known providers: \(list)."
        case .unknownKind(let kind, let providerType, let known, _):
            return "Unknown resource kind \"\(kind)\" for provider type \(providerType)\(place).\(Self.didYouMean(kind, known)) Known kinds: \(known.sorted().joined(separator: ", "))."
        case .unknownReference(let name, let kind, let from, let known, _):
            let list = known.isEmpty ? "there are none; add one under \(kind)" : "defined: \(known.sorted().joined(separator: ", "))"
            return "\(from) refers to \"\(name)\", which is not defined in \(kind)\(place).\(Self.didYouMean(name, known)) In \(kind) \(list)."
        case .missingVariable(let name, let key, _):
            return "Environment variable \(name) is not set, used by \"\(key)\"\(place). Set it, or write ${env:\(name):-default}."
        case .productionVariableUnset(let name, let key, let environment, let hadDefault, _):
            guard hadDefault else {
                return "Environment variable \(name) is not set, used by \"\(key)\" in production environment \"\(environment)\"\(place). Production takes a provider's settings from the variable itself, with no default: set \(name)."
            }
            return "Environment variable \(name) is not set, so \"\(key)\" would fall back to the default written in the manifest\(place), and production environment \"\(environment)\" uses no written default for a secret or a provider setting (a placeholder or sandbox secret must never reach a bank). Set \(name) in the environment; remove the :-default, or move the default to a non-production environment."
        case .valueDeferred(let source, let key, let environments, _):
            let needing = "plan, apply, drift and check need it" + Self.inEnvironments(environments)
            switch source {
            case .variable(let name):
                return "${env:\(name)} is unset, used by \"\(key)\"\(place); \(needing): set \(name) where they run."
            case .file(let written, let resolved):
                return "${file:\(written)} cannot be read (\(resolved)), used by \"\(key)\"\(place); \(needing): put the file there where they run."
            }
        case .literalSecret(let key, let production, _):
            let refused = production.map { ", which production environment \"\($0)\" refuses" } ?? ""
            return "\"\(key)\" is a secret written as plain text in the manifest\(place)\(refused): whoever reads the repository reads it. Write ${env:NAME} and set NAME where provision runs, or ${file:PATH} naming a file kept out of git."
        case .malformedInterpolation(let text, let key, _):
            return "Cannot read \"\(text)\" in \"\(key)\"\(place). Write ${env:NAME}, ${env:NAME:-default} or ${file:PATH}."
        case .invalidValue(let key, let value, let allowed, _):
            return "\"\(key)\" cannot be \(value)\(place).\(Self.didYouMean(value.trimmingCharacters(in: ["\""]), allowed)) Allowed: \(allowed.joined(separator: ", "))."
        case .outOfRange(let key, let rule, _):
            return "\"\(key)\" \(rule)\(place)."
        case .patternMismatch(let key, let meaning, _):
            return "\"\(key)\" must be \(meaning)\(place)."
        case .insecureURL(let key, let environment, _):
            return "\"\(key)\" must use https in production environment \"\(environment)\"\(place). Write an https:// URL."
        case .sandboxInProduction(let provider, let environment, _):
            return "Provider \"\(provider)\" uses endpoint: sandbox in production environment \"\(environment)\"\(place). Set the bank's https endpoint for this environment."
        case .unknownEnvironment(let name, let known):
            let list = known.isEmpty ? "none are declared (add them under environments:)" : known.sorted().joined(separator: ", ")
            return "Unknown environment \"\(name)\".\(Self.didYouMean(name, known)) Known environments: \(list)."
        case .environmentRequired(let known):
            return "This manifest declares environments (\(known.sorted().joined(separator: ", "))); pass --env NAME to choose one."
        case .unreadableFile(let path, let key, let relative, _):
            return "Cannot read file \(path) for \"\(key)\"\(place). Check the path\(relative ? "; it is relative to the manifest file" : "")."
        case .promotionCycle(let names, _):
            return "environments promote from each other in a cycle: \(names.joined(separator: " → "))\(place); apply would be refused in each of them for ever. Make one of them promote from none (remove its promotes_from)."
        case .invalidMove(let from, let to, let reason, _):
            return "moved: \(from) → \(to)\(place): \(reason)"
        case .fileRefused(let reference, let key, let rule, let root, _):
            let inside = root.map { "inside \($0)" } ?? "inside the manifest's root (its git repository, else its folder)"
            return "\(reference) in \"\(key)\" \(rule.what)\(place). ${file:} reads only regular files \(inside), never in .git or among the secrets under .provision: \(rule.fix)."
        case .insecureEndpoint(let provider, _):
            return "Provider \"\(provider)\" sends its credentials over plain http to a host that is not this machine\(place). Write an https:// endpoint, or set allow_insecure_http: true on the provider for a test bank you trust (a warning then prints on every run)."
        case .credentialsInURL(let key, _):
            return "\"\(key)\" holds a user name or password in its URL\(place), where logs and errors would show it. Remove it from the URL and give the credentials as the provider's settings, with ${env:NAME}."
        case .referenceCycle(let cycle, _):
            return "References form a cycle: \(cycle.joined(separator: " → "))\(place). Remove one of the references."
        case .computedKey(let key, let context, _):
            return "\"\(key)\" in \(context) is computed: the bank assigns it and plan reads it back\(place). Remove it from the manifest."
        case .invalidSetting(let key, let reason, _):
            return "\"\(key)\" cannot be used: \(reason)\(place)."
        case .invalidURL(let key, let example, let reason, _):
            return "\"\(key)\" is not a valid URL: \(reason)\(place). Write \(example)."
        case .invalidName(let name, _):
            return "Invalid name \"\(name)\"\(place). Names use letters, digits, '_' and '-', and start with a letter or digit."
        case .duplicate(let name, let first, _):
            return "\"\(name)\" is defined twice\(place); first defined at \(first). Remove or rename one."
        case .duplicateNaturalKey(let key, let value, let other, _):
            return "Two resources have the same \(value)\(place), compared without regard to case and spacing; the other is \(other). The bank cannot tell them apart: make \(key) differ."
        }
    }

    /// The problems of several environments' loads, each once: a deferred value at one place becomes one note
    /// naming every environment that defers it. In the order first met.
    public static func merged(_ problems: [ManifestProblem]) -> [ManifestProblem] {
        var result: [ManifestProblem] = []
        var seen: Set<ManifestProblem> = []
        var notes: [String: Int] = [:]
        for problem in problems {
            guard case .valueDeferred(let source, let key, let environments, let at) = problem else {
                if seen.insert(problem).inserted { result.append(problem) }
                continue
            }
            let place = "\(source)\u{0}\(key)\u{0}\(at)"
            guard let index = notes[place], case .valueDeferred(_, _, let earlier, _) = result[index] else {
                notes[place] = result.count
                result.append(problem)
                continue
            }
            result[index] = .valueDeferred(source, key: key, environments: Array(Set(earlier + environments)).sorted(), at: at)
        }
        return result
    }

    /// ` in environment uat`, ` in environments production and uat`, or nothing for none.
    static func inEnvironments(_ names: [String]) -> String {
        switch names.count {
        case 0: return ""
        case 1: return " in environment \(names[0])"
        default: return " in environments \(names.dropLast().joined(separator: ", ")) and \(names.last!)"
        }
    }

    static func didYouMean(_ word: String, _ candidates: [String]) -> String {
        guard let best = Suggestion.nearest(to: word, in: candidates) else { return "" }
        return " Did you mean \"\(best)\"?"
    }
}

/// Why a `${file:PATH}` is not read.
public enum FileRule: String, Sendable, Hashable {
    /// PATH starts with `/`.
    case absolute
    /// PATH leads outside the root, through `..` or a symbolic link.
    case outsideRoot
    /// PATH leads into `.git` (a checkout's credentials) or to the secrets kept under `.provision`.
    case privateFolder
    /// PATH names a device, a pipe, a socket or a folder.
    case notRegularFile
    /// The file is larger than `FileRule.maximumSize`.
    case tooLarge

    /// The most a `${file:}` reads.
    public static let maximumSize = 1 << 20

    var what: String {
        switch self {
        case .absolute: return "is an absolute path"
        case .outsideRoot: return "leads outside the manifest's root, through .. or a symbolic link"
        case .privateFolder: return "leads into .git or to the secrets kept under .provision"
        case .notRegularFile: return "is not a regular file (a device, a pipe, a socket or a folder)"
        case .tooLarge: return "is larger than 1 MB"
        }
    }

    var fix: String {
        switch self {
        case .absolute: return "write the path relative to the manifest file, to a file inside the root"
        case .outsideRoot: return "move or copy the file inside the root and name it by its path there"
        case .privateFolder: return "keep the file elsewhere in the root"
        case .notRegularFile: return "name a regular file"
        case .tooLarge: return "name a smaller file (a key or a secret, not data)"
        }
    }
}

/// A `${file:}` refused by the reader: the rule it breaks and the root it must stay in.
public struct FileRefusal: Error, Sendable {
    public var rule: FileRule
    public var root: String

    public init(_ rule: FileRule, root: String) {
        self.rule = rule
        self.root = root
    }
}

/// Every problem found in a manifest, sorted by location.
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    public let problems: [ManifestProblem]
    /// What was read from `${env:}` and `${file:}` before the problems stopped the load: never in `description`, it
    /// is there so the process's `SecretScrubber` learns it all the same.
    public var resolved: Set<String> = []

    public init(_ problems: [ManifestProblem], resolved: Set<String>) {
        self.init(problems)
        self.resolved = resolved
    }

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

import Foundation
import Yams
import PlanModel

/// One manifest file's text and the name it is reported under.
public struct ManifestSource: Sendable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// Turns manifest YAML into a validated `Manifest`, collecting every problem before it reports them.
///
/// Pure: the environment variables and the reader of `${file:...}` files are passed in.
public struct ManifestParser: Sendable {
    /// The provider types this parser accepts.
    public var catalog: ProviderCatalog
    public var variables: [String: String]
    /// Reads a file named by `${file:PATH}` (PATH already resolved against the manifest file's folder); nil when it
    /// cannot be read, a thrown `FileRefusal` when the manifest may not read it.
    public var readFile: @Sendable (String) throws -> String?
    /// What an unset variable is: an error, or a value left for later (`Manifest.deferred`) with a note.
    public var credentials: CredentialResolution

    public init(
        catalog: ProviderCatalog, environment: [String: String], credentials: CredentialResolution = .required,
        readFile: @escaping @Sendable (String) throws -> String? = { _ in nil }
    ) {
        self.catalog = catalog
        self.variables = environment
        self.credentials = credentials
        self.readFile = readFile
    }

    static let topLevelKeys = ["version", "providers", "environments", BackendConfig.key, Move.key]
    /// A key every resource accepts: `protect: true` keeps it from ever being deleted.
    public static let protectKey = Resource.protectKey
    /// A key every resource and gate accepts: who does its person step, for the runbook.
    public static let ownerKey = Resource.ownerKey
    /// The keys a resource takes beside its kind's attributes, sorted.
    static let resourceMetaKeys = [Resource.ownerKey, Resource.protectKey].sorted()

    /// Parses and merges the files, with environment `environmentName` laid over them when given.
    /// With `requireEnvironment`, a manifest that declares environments and is given none is refused
    /// (`environmentRequired`). Throws `ManifestError` with every problem found, sorted by location.
    public func parse(
        _ sources: [ManifestSource], environment environmentName: String? = nil, requireEnvironment: Bool = false
    ) throws(ManifestError) -> Manifest {
        var run = ParseRun(parser: self)
        let combined = run.combine(sources)
        if requireEnvironment, environmentName == nil, let declared = combined?.declared, !declared.isEmpty {
            throw ManifestError([.environmentRequired(known: declared)])
        }
        return try finish(run, combined, sources, environment: environmentName)
    }

    /// The manifest as each declared environment sees it (or as it is, when none is declared), the files read once.
    public func parseEach(_ sources: [ManifestSource]) -> [Result<Manifest, ManifestError>] {
        var run = ParseRun(parser: self)
        let combined = run.combine(sources)
        let declared = combined?.declared ?? []
        return (declared.isEmpty ? [nil] : declared.map(Optional.some)).map { environment in
            Result { () throws(ManifestError) in try finish(run, combined, sources, environment: environment) }
        }
    }

    /// Validates the combined tree with `environmentName` laid over it.
    func finish(
        _ start: ParseRun, _ combined: CombinedTree?, _ sources: [ManifestSource], environment environmentName: String?
    ) throws(ManifestError) -> Manifest {
        var run = start
        // A file that is not YAML, or not a mapping, hides what it meant to declare; report only that.
        let unreadable = run.problems.filter {
            switch $0 {
            case .yamlSyntax, .duplicate: return true
            case .wrongType(let key, _, _): return key == "the manifest"
            default: return false
            }
        }
        guard let tree = combined, unreadable.isEmpty else { throw ManifestError(unreadable.isEmpty ? run.problems : unreadable) }
        var top = tree.top
        var production = false
        var journey: (gates: [Gate], promotesFrom: String?) = ([], nil)
        if let environmentName {
            guard let chosen = tree.environments[environmentName] else {
                throw ManifestError(run.problems + [.unknownEnvironment(name: environmentName, known: tree.declared)])
            }
            production = run.readEnvironmentFlags(chosen, name: environmentName)
            journey = run.readJourney(chosen, name: environmentName, declared: tree)
            if let cycle = tree.promotionCycles[environmentName] { run.problems.append(cycle) }
            top = run.overlay(top, with: chosen)
        }
        run.environmentName = environmentName
        run.production = production
        let manifest = run.validate(top, declared: tree.declared, versionSeen: tree.versionSeen, firstFile: sources.first?.path ?? "manifest")
        let notices = run.notices()
        guard !run.problems.contains(where: { $0.severity == .error }), var manifest else {
            throw ManifestError(run.problems + notices.filter { $0.severity == .note }, resolved: run.interpolated)
        }
        (manifest.gates, manifest.promotesFrom) = journey
        manifest.interpolated = run.interpolated
        manifest.deferred = run.deferred
        manifest.notices = ManifestError(notices).problems
        return manifest
    }

    /// True when `url` is plain http or https to this machine: `localhost`, an address in 127.0.0.0/8, or `::1`.
    public static func isLoopback(url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return false }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
        var host = String(hostPort.prefix { $0 != ":" }).lowercased()
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close]).lowercased()
        }
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The names under `environments:`, or [] when the files cannot be read.
    public func declaredEnvironments(_ sources: [ManifestSource]) -> [String] {
        var run = ParseRun(parser: self)
        return run.combine(sources)?.declared ?? []
    }
}

/// The files merged into one tree, before validation.
struct CombinedTree {
    var top: [ManifestNode.Entry]
    var environments: [String: ManifestNode]
    var versionSeen: Bool
    /// The names of `environments`, sorted once: every environment's manifest shares this array.
    var declared: [String] = []
    /// Environment → the `promotes_from:` cycle it is on, found once for every environment.
    var promotionCycles: [String: ManifestProblem] = [:]
}

struct ParseRun {
    let parser: ManifestParser
    var problems: [ManifestProblem] = []
    var resources: [Resource] = []
    var environmentName: String?
    var production = false
    /// Every text resolved from `${env:}` or `${file:}` so far.
    var interpolated: Set<String> = []
    /// How many variables and files were read so far (a default written in the manifest is not counted).
    var sourcesRead = 0
    /// Values left out because their variable is unset (`CredentialResolution.deferred`), in the order met.
    var deferred: [DeferredValue] = []
    /// Set when the value being read was just deferred; `readAttributes` takes it back.
    var deferring = false

    init(parser: ManifestParser) {
        self.parser = parser
    }

    // MARK: Files → one tree

    mutating func combine(_ sources: [ManifestSource]) -> CombinedTree? {
        var tree = CombinedTree(top: [], environments: [:], versionSeen: false)
        var top = MergedMapping()
        var environmentLocations: [String: SourceLocation] = [:]
        for (root, found) in Self.roots(of: sources) {
            problems += found
            guard let root, case .mapping(let entries, _) = root else { continue }
            for entry in unique(entries, context: "the manifest") {
                switch entry.key {
                case "version":
                    tree.versionSeen = true
                    if case .scalar(_, .integer(1), _) = entry.value {} else if case .scalar(let text, .string, _) = entry.value {
                        problems.append(.unsupportedVersion(found: "\"\(text)\" (a string)", at: entry.value.location))
                    } else {
                        problems.append(.unsupportedVersion(found: Self.text(of: entry.value), at: entry.value.location))
                    }
                case "environments":
                    guard case .mapping(let named, _) = entry.value else {
                        problems.append(.wrongType(key: "environments", expected: "a mapping of environment names to overrides", at: entry.value.location))
                        continue
                    }
                    for environment in unique(named, context: "environments") {
                        if let first = environmentLocations[environment.key] {
                            problems.append(.duplicate(name: "environments.\(environment.key)", first: first, at: environment.keyLocation))
                            continue
                        }
                        if !Self.isValidName(environment.key) { problems.append(.invalidName(name: environment.key, at: environment.keyLocation)) }
                        environmentLocations[environment.key] = environment.keyLocation
                        tree.environments[environment.key] = environment.value
                    }
                default:
                    merge(entry, into: &top, depth: entry.key == "providers" ? 2 : 3, parent: nil)
                }
            }
        }
        tree.top = top.combined()
        tree.declared = tree.environments.keys.sorted()
        tree.promotionCycles = CombinedTree.promotionCycles(in: tree.environments, declared: tree.declared)
        return tree
    }

    /// Adds `entry` to `mapping`; mappings merge down to `depth` levels, below which a second definition is a duplicate
    /// (reported at both places: the entry a mapping holds for a key is the one written first). Each key is found
    /// through the mapping's index, so files add their entries in time linear in what they add. `parent` is the
    /// dotted path of `mapping`, nil at the top.
    mutating func merge(_ entry: ManifestNode.Entry, into mapping: inout MergedMapping, depth: Int, parent: String?) {
        guard let index = mapping.positions[entry.key] else {
            mapping.add(entry)
            return
        }
        let existing = mapping.entries[index]
        let path = parent.map { "\($0).\(entry.key)" } ?? entry.key
        guard depth > 1, case .mapping(let written, _) = existing.value, case .mapping(let adding, _) = entry.value else {
            problems.append(.duplicate(name: path, first: existing.keyLocation, at: entry.keyLocation))
            return
        }
        var children = mapping.merged.removeValue(forKey: entry.key) ?? MergedMapping(written)
        for child in unique(adding, context: path) {
            merge(child, into: &children, depth: depth - 1, parent: path)
        }
        mapping.merged[entry.key] = children
    }

    /// Files of fewer bytes than this in all are read one after the other.
    static let partBytes = 64 * 1024

    /// Each file's tree (nil when it is not a YAML mapping) and the problem that says why, in the files' order.
    /// A file holding half the bytes or more is read in two parts at once (`FileSplit`), the others one after the
    /// other; otherwise the files are read in two groups at once, split where half the bytes have been read. Either
    /// way a manifest costs about the same in one file or in many.
    static func roots(of sources: [ManifestSource]) -> [(ManifestNode?, [ManifestProblem])] {
        let sizes = sources.map(\.text.utf8.count)
        let total = sizes.reduce(0, +)
        guard total >= partBytes else { return sources.map(root(of:)) }
        if let largest = sizes.indices.max(by: { sizes[$0] < sizes[$1] }), sizes[largest] * 2 >= total {
            return sources.indices.map { $0 == largest ? partedRoot(of: sources[$0]) ?? root(of: sources[$0]) : root(of: sources[$0]) }
        }
        var read = 0
        let middle = max(1, sizes.firstIndex { read += $0; return read * 2 >= total } ?? 1)
        let (first, second) = Concurrently.both({ sources[..<middle].map(root(of:)) }, { sources[middle...].map(root(of:)) })
        return first + second
    }

    /// One file's tree composed in two parts at once; nil when the file has no split, or either part has a problem or
    /// the parts do not join (then `root(of:)` reads it in one pass and reports the first problem in file order).
    static func partedRoot(of source: ManifestSource) -> (ManifestNode?, [ManifestProblem])? {
        guard let split = FileSplit(text: source.text) else { return nil }
        let (first, second) = Concurrently.both(
            { () -> ManifestNode? in
                guard let node = try? Yams.compose(yaml: split.first, .basic) else { return nil }
                return try? ManifestNode.converting(node, file: source.path, partSize: .max)
            },
            { () -> ManifestNode? in
                guard let node = try? Yams.compose(yaml: split.second, .basic) else { return nil }
                return try? ManifestNode.converting(node, file: source.path, partSize: .max, lineOffset: split.lineOffset)
            })
        guard let first, let second, let tree = split.joined(first, second) else { return nil }
        return (tree, [])
    }

    /// One file's tree, or nil and the problem that says why it cannot be a manifest.
    static func root(of source: ManifestSource) -> (ManifestNode?, [ManifestProblem]) {
        do {
            guard let node = try Yams.compose(yaml: source.text, .basic) else { return (nil, []) }
            let tree = try ManifestNode.converting(node, file: source.path)
            guard case .mapping = tree else {
                return (nil, [.wrongType(key: "the manifest", expected: "a mapping of keys (version, providers, environments, provider sections)", at: tree.location)])
            }
            return (tree, [])
        } catch let error as YamlError {
            return (nil, [Self.syntaxProblem(error, file: source.path, text: source.text)])
        } catch ManifestNode.ConversionProblem.tooLarge(let limit, let at) {
            return (nil, [.yamlSyntax(message: "aliases expand this file past \(limit) nodes; write the values out, or use fewer nested aliases", at: at)])
        } catch ManifestNode.ConversionProblem.unsupportedTag(let tag, let at) {
            return (nil, [.yamlSyntax(message: "the tag \(tag) is not part of the manifest language; remove it and write the value as plain YAML", at: at)])
        } catch {
            return (nil, [.yamlSyntax(message: "the file cannot be read as YAML", at: SourceLocation(file: source.path, line: 1, column: 1))])
        }
    }

    /// The problem for a YAML library error; never quotes the file's text, which may hold secrets.
    static func syntaxProblem(_ error: YamlError, file: String, text: String) -> ManifestProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = problem
            if let context, !context.text.isEmpty {
                message = "\(context.text) at \(file):\(context.mark.line):\(context.mark.column): \(problem)"
            }
            if problem.contains("cannot start any token"), Self.hasTab(text, line: mark.line) {
                message += " (tabs cannot indent YAML; use spaces)"
            }
            return .yamlSyntax(message: message, at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .reader(let problem, let offset, _, _):
            let (line, column) = Self.position(of: offset ?? 0, in: text)
            return .yamlSyntax(message: problem, at: SourceLocation(file: file, line: line, column: column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let first = SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
            let second = Self.repeat(of: key, after: context.mark, in: text).map { SourceLocation(file: file, line: $0.0, column: $0.1) }
            return .duplicate(name: key, first: first, at: second ?? first)
        default:
            return .yamlSyntax(message: "the file cannot be read as YAML", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    static func hasTab(_ text: String, line: Int) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return false }
        return lines[line - 1].prefix(while: { $0 == " " || $0 == "\t" }).contains("\t")
    }

    /// 1-based line and column of a UTF-8 byte offset.
    static func position(of offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for (index, byte) in text.utf8.enumerated() {
            if index >= offset { break }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    /// Where `key:` is written again at the same column, after its first place.
    static func `repeat`(of key: String, after mark: Mark, in text: String) -> (Int, Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for number in mark.line..<lines.count {
            let line = lines[number]
            let indent = line.prefix { $0 == " " }.count
            if indent + 1 == mark.column, line.dropFirst(indent).hasPrefix("\(key):") { return (number + 1, mark.column) }
        }
        return nil
    }

    /// The entries of a mapping, reporting a key written twice in it.
    mutating func unique(_ entries: [ManifestNode.Entry], context: String) -> [ManifestNode.Entry] {
        var seen: [String: SourceLocation] = [:]
        var result: [ManifestNode.Entry] = []
        for entry in entries {
            if let first = seen[entry.key] {
                problems.append(.duplicate(name: "\(context).\(entry.key)", first: first, at: entry.keyLocation))
                continue
            }
            seen[entry.key] = entry.keyLocation
            result.append(entry)
        }
        return result
    }

    // MARK: Environments

    /// Reads `production:`; every other key of an environment is an override.
    mutating func readEnvironmentFlags(_ body: ManifestNode, name: String) -> Bool {
        guard case .mapping(let entries, _) = body else {
            if !body.isNull {
                problems.append(.wrongType(key: "environments.\(name)", expected: "a mapping of overrides (production, providers, provider sections)", at: body.location))
            }
            return false
        }
        guard let flag = entries.first(where: { $0.key == "production" }) else { return false }
        if case .scalar(_, .boolean(let value), _) = flag.value { return value }
        problems.append(.wrongType(key: "environments.\(name).production", expected: AttributeType.boolean.description, at: flag.value.location))
        return false
    }

    /// An environment's keys that are not overrides.
    static let journeyKeys: Set<String> = ["production", "gates", "promotes_from"]

    /// Reads `gates:` (name → instructions, in order) and `promotes_from:` (another declared environment).
    mutating func readJourney(_ body: ManifestNode, name: String, declared tree: CombinedTree) -> (gates: [Gate], promotesFrom: String?) {
        guard case .mapping(let entries, _) = body else { return ([], nil) }
        var gates: [Gate] = []
        if let node = entries.first(where: { $0.key == "gates" })?.value {
            gates = readGates(node, environment: name)
        }
        guard let source = entries.first(where: { $0.key == "promotes_from" })?.value else { return (gates, nil) }
        guard case .scalar(let text, _, _) = source, !text.isEmpty else {
            problems.append(.wrongType(key: "environments.\(name).promotes_from", expected: "the name of another environment", at: source.location))
            return (gates, nil)
        }
        guard text != name, tree.environments[text] != nil else {
            problems.append(.invalidValue(key: "environments.\(name).promotes_from", value: text, allowed: tree.declared.filter { $0 != name }, at: source.location))
            return (gates, nil)
        }
        return (gates, text)
    }

    mutating func readGates(_ node: ManifestNode, environment: String) -> [Gate] {
        guard case .mapping(let entries, _) = node else {
            problems.append(.wrongType(key: "environments.\(environment).gates", expected: "a mapping of gate names to instructions", at: node.location))
            return []
        }
        var gates: [Gate] = []
        for entry in entries {
            if !Self.isValidName(entry.key) { problems.append(.invalidName(name: entry.key, at: entry.keyLocation)) }
            if let gate = readGate(entry, environment: environment) { gates.append(gate) }
        }
        return gates
    }

    /// One gate: its instructions as a string, or a mapping of `instructions:` and an optional `owner:`.
    mutating func readGate(_ entry: ManifestNode.Entry, environment: String) -> Gate? {
        let key = "environments.\(environment).gates.\(entry.key)"
        if case .scalar(let text, _, _) = entry.value, !text.isEmpty {
            return Gate(name: entry.key, instructions: text, location: entry.keyLocation)
        }
        guard case .mapping(let fields, _) = entry.value else {
            problems.append(.wrongType(key: key, expected: "the instructions, a string, or a mapping of instructions and owner", at: entry.value.location))
            return nil
        }
        for field in fields where field.key != "instructions" && field.key != ManifestParser.ownerKey {
            problems.append(.unknownKey(key: field.key, context: key, known: ["instructions", ManifestParser.ownerKey], at: field.keyLocation))
        }
        guard let node = fields.first(where: { $0.key == "instructions" })?.value else {
            problems.append(.missingKey(key: "instructions", context: key, at: entry.value.location))
            return nil
        }
        guard case .scalar(let text, _, _) = node, !text.isEmpty else {
            problems.append(.wrongType(key: "\(key).instructions", expected: "the instructions, a string", at: node.location))
            return nil
        }
        var gate = Gate(name: entry.key, instructions: text, location: entry.keyLocation)
        gate.owner = readOwner(fields, context: key)
        return gate
    }

    /// `owner:` among `fields`, as written (it is never interpolated): a non-empty string, or nil when absent.
    mutating func readOwner(_ fields: [ManifestNode.Entry], context: String) -> String? {
        guard let field = fields.first(where: { $0.key == ManifestParser.ownerKey }), !field.value.isNull else { return nil }
        guard case .scalar(let text, .string, _) = field.value, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            problems.append(.wrongType(key: "\(context).\(ManifestParser.ownerKey)", expected: "a string naming who does the step (a team or a person)", at: field.value.location))
            return nil
        }
        return text
    }

    /// The top-level entries with an environment's `providers` and sections laid over them.
    func overlay(_ top: [ManifestNode.Entry], with environment: ManifestNode) -> [ManifestNode.Entry] {
        guard case .mapping(let overrides, _) = environment else { return top }
        var result = top
        for entry in overrides where !ParseRun.journeyKeys.contains(entry.key) {
            if let index = result.firstIndex(where: { $0.key == entry.key }) {
                result[index].value = result[index].value.merged(with: entry.value)
            } else {
                result.append(entry)
            }
        }
        return result
    }

    // MARK: Validation

    mutating func validate(_ top: [ManifestNode.Entry], declared: [String], versionSeen: Bool, firstFile: String) -> Manifest? {
        let start = SourceLocation(file: firstFile, line: 1, column: 1)
        if !versionSeen { problems.append(.missingKey(key: "version", context: "the manifest", at: start)) }
        var providers: [String: ProviderConfig] = [:]
        if let entry = top.first(where: { $0.key == "providers" }) {
            providers = readProviders(entry.value)
        } else {
            problems.append(.missingKey(key: "providers", context: "the manifest", at: start))
        }
        for entry in top where !ManifestParser.topLevelKeys.contains(entry.key) {
            guard let provider = providers[entry.key] else {
                if !top.contains(where: { $0.key == "providers" && Self.hasKey($0.value, entry.key) }) {
                    problems.append(.unknownProvider(section: entry.key, known: providers.keys.sorted(), at: entry.keyLocation))
                }
                continue
            }
            readSection(entry, provider: provider)
        }
        let backend = top.first { $0.key == BackendConfig.key }.flatMap { readBackend($0) }
        checkLinksAndKeys()
        var manifest = Manifest(
            version: 1, providers: Array(providers.values), resources: resources,
            environment: environmentName, isProduction: production, environments: declared, backend: backend)
        manifest.moves = top.first { $0.key == Move.key }.map { readMoves($0) } ?? []
        return manifest
    }

    static func hasKey(_ node: ManifestNode, _ key: String) -> Bool {
        guard case .mapping(let entries, _) = node else { return false }
        return entries.contains { $0.key == key }
    }

    mutating func readProviders(_ node: ManifestNode) -> [String: ProviderConfig] {
        guard case .mapping(let entries, _) = node else {
            problems.append(.wrongType(key: "providers", expected: "a mapping of provider names to settings", at: node.location))
            return [:]
        }
        var providers: [String: ProviderConfig] = [:]
        for entry in entries {
            if !Self.isValidName(entry.key) { problems.append(.invalidName(name: entry.key, at: entry.keyLocation)) }
            if let config = readProvider(name: entry.key, body: entry.value, location: entry.keyLocation) {
                providers[entry.key] = config
            }
        }
        return providers
    }

    mutating func readProvider(name: String, body: ManifestNode, location: SourceLocation) -> ProviderConfig? {
        guard case .mapping(let fields, _) = body else {
            problems.append(.wrongType(key: "providers.\(name)", expected: "a mapping with type, endpoint and credentials", at: body.location))
            return nil
        }
        guard let typeEntry = fields.first(where: { $0.key == "type" }) else {
            problems.append(.missingKey(key: "type", context: "providers.\(name)", at: location))
            return nil
        }
        let typeName = Self.text(of: typeEntry.value)
        guard let schema = parser.catalog.type(typeName) else {
            problems.append(.unknownProviderType(type: typeName, provider: name, known: parser.catalog.typeNames, at: typeEntry.value.location))
            return nil
        }
        var settings = readAttributes(fields.filter { $0.key != "type" }, schema: schema.settings, context: "providers.\(name)", location: location)
        let endpointNode = fields.first { $0.key == "endpoint" }?.value
        // A provider whose endpoint was rejected is still returned, so its section is checked too;
        // the recorded problem keeps the manifest from being used.
        let endpoint: Endpoint
        if let text = settings["endpoint"]?.revealedText, text != "sandbox" {
            endpoint = .url(text)
            checkEndpoint(text, provider: name, settings: settings, at: endpointNode?.location ?? location)
        } else if isDeferred("providers.\(name).endpoint"), let endpointNode {
            endpoint = .deferred(reference: Self.text(of: endpointNode))
        } else {
            endpoint = .sandbox
        }
        if production, let environmentName, let endpointNode, let text = settings["endpoint"]?.revealedText {
            if text == "sandbox" {
                problems.append(.sandboxInProduction(provider: name, environment: environmentName, at: endpointNode.location))
            } else if !text.lowercased().hasPrefix("https://") {
                problems.append(.insecureURL(key: "providers.\(name).endpoint", environment: environmentName, at: endpointNode.location))
            }
        }
        for problem in schema.checkSettings(settings) where !isDeferred("providers.\(name).\(problem.setting)") {
            let at = fields.first { $0.key == problem.setting }?.value.location ?? location
            problems.append(.invalidSetting(key: "providers.\(name).\(problem.setting)", reason: problem.reason, at: at))
        }
        settings["endpoint"] = nil
        return ProviderConfig(name: name, type: typeName, endpoint: endpoint, settings: settings, location: location)
    }

    /// Reads `backend:`: its type, and for postgres its URL (a secret), schema and name.
    mutating func readBackend(_ entry: ManifestNode.Entry) -> BackendConfig? {
        guard case .mapping(let fields, _) = entry.value else {
            problems.append(.wrongType(key: BackendConfig.key, expected: "a mapping with type (local or postgres) and, for postgres, url", at: entry.value.location))
            return nil
        }
        let before = problems.count
        let values = readAttributes(unique(fields, context: BackendConfig.key), schema: BackendConfig.attributes, context: BackendConfig.key, location: entry.keyLocation)
        guard problems.count == before, let typeName = values["type"]?.revealedText, let type = BackendConfig.Kind(rawValue: typeName) else { return nil }
        let text = { (name: String) -> String? in
            switch values[name] {
            case .string(let text)?: return text
            case .sensitive(let secret)?: return secret.revealed
            default: return nil
            }
        }
        let place = { (name: String) in fields.first { $0.key == name }?.value.location ?? entry.keyLocation }
        switch type {
        case .postgres where values["url"] == nil && !isDeferred("\(BackendConfig.key).url"):
            problems.append(.missingKey(key: "url", context: BackendConfig.key, at: entry.keyLocation))
        case .local:
            for name in ["url", "schema"] where values[name] != nil {
                problems.append(.invalidSetting(key: "\(BackendConfig.key).\(name)", reason: "only a postgres backend has one; remove it or write type: postgres", at: place(name)))
            }
        default:
            break
        }
        return BackendConfig(type: type, url: text("url").map { Sensitive($0) }, schema: text("schema"), name: text("name"), location: entry.keyLocation)
    }

    mutating func readSection(_ section: ManifestNode.Entry, provider: ProviderConfig) {
        guard let schema = parser.catalog.type(provider.type) else { return }
        guard case .mapping(let kinds, _) = section.value else {
            problems.append(.wrongType(key: section.key, expected: "a mapping of resource kinds (\(schema.kinds.map(\.name).joined(separator: ", ")))", at: section.value.location))
            return
        }
        for entry in kinds {
            if entry.value.isNull, schema.kind(entry.key)?.isSingleton == false { continue }
            guard let kind = schema.kind(entry.key) else {
                problems.append(.unknownKind(kind: entry.key, providerType: schema.type, known: schema.kinds.map(\.name), at: entry.keyLocation))
                continue
            }
            if kind.isSingleton {
                addResource(ResourceAddress(instance: section.key, kind: kind.name), kind: kind, providerType: schema.type, body: entry.value, location: entry.keyLocation)
                continue
            }
            guard case .mapping(let named, _) = entry.value else {
                problems.append(.wrongType(key: "\(section.key).\(kind.name)", expected: "a mapping of names to \(kind.name) entries", at: entry.value.location))
                continue
            }
            readNamed(named[...], instance: section.key, kind: kind, providerType: schema.type)
        }
    }

    /// Reads the named entries of one kind as resources, in the order written; a long list (more than
    /// `Concurrently.partSize`) is read in two halves at once, each by a run of its own, and the halves' resources
    /// and findings are joined in order.
    mutating func readNamed(_ named: ArraySlice<ManifestNode.Entry>, instance: String, kind: ResourceKindSchema, providerType: String) {
        guard named.count > Concurrently.partSize else {
            readEach(named, instance: instance, kind: kind, providerType: providerType)
            return
        }
        let middle = named.startIndex + named.count / 2
        let fresh = forked()
        let (first, second) = Concurrently.both(
            { var run = fresh; run.readEach(named[..<middle], instance: instance, kind: kind, providerType: providerType); return run },
            { var run = fresh; run.readEach(named[middle...], instance: instance, kind: kind, providerType: providerType); return run })
        absorb(first)
        absorb(second)
    }

    /// Reads the named entries one after the other.
    mutating func readEach(_ named: ArraySlice<ManifestNode.Entry>, instance: String, kind: ResourceKindSchema, providerType: String) {
        for item in named {
            if !Self.isValidName(item.key) { problems.append(.invalidName(name: item.key, at: item.keyLocation)) }
            addResource(ResourceAddress(instance: instance, kind: kind.name, name: item.key), kind: kind, providerType: providerType, body: item.value, location: item.keyLocation)
        }
    }

    /// A run with this one's settings (parser, environment, production) and nothing found yet.
    func forked() -> ParseRun {
        var run = ParseRun(parser: parser)
        run.environmentName = environmentName
        run.production = production
        return run
    }

    /// Adds what a forked run found after what this one found.
    mutating func absorb(_ other: ParseRun) {
        problems += other.problems
        resources += other.resources
        interpolated.formUnion(other.interpolated)
        sourcesRead += other.sourcesRead
        deferred += other.deferred
    }

    mutating func addResource(_ address: ResourceAddress, kind: ResourceKindSchema, providerType: String, body: ManifestNode, location: SourceLocation) {
        guard case .mapping(let fields, _) = body else {
            let names = kind.attributes.filter { $0.presence != .computed }.map(\.name).joined(separator: ", ")
            problems.append(.wrongType(key: address.description, expected: "a mapping of attributes (\(names))", at: body.location))
            return
        }
        var protected = false
        let flag = fields.first { $0.key == ManifestParser.protectKey }
        if let flag {
            if case .scalar(_, .boolean(let value), _) = flag.value {
                protected = value
            } else {
                problems.append(.wrongType(key: "\(address).\(ManifestParser.protectKey)", expected: AttributeType.boolean.description, at: flag.value.location))
            }
        }
        let context = address.description
        let meta = ManifestParser.resourceMetaKeys
        let attributes = readAttributes(
            fields.contains { meta.contains($0.key) } ? fields.filter { !meta.contains($0.key) } : fields, schema: kind.attributes,
            context: context, location: location, alsoKnown: meta)
        var resource = Resource(address: address, providerType: providerType, capability: kind.capability, attributes: attributes, location: location)
        resource.protected = protected
        resource.owner = readOwner(fields, context: context)
        resources.append(resource)
    }

    /// Reads attributes against their schema; every problem is recorded, good values (and defaults) are returned.
    mutating func readAttributes(
        _ fields: [ManifestNode.Entry], schema: [AttributeSchema], context: String, location: SourceLocation, alsoKnown: [String] = []
    ) -> [String: Value] {
        let settable = schema.filter { $0.presence != .computed }
        var values: [String: Value] = [:]
        // Attributes whose variable is unset, deferred: neither a default nor "missing" stands in for them.
        var deferredNames: Set<String> = []
        for entry in fields {
            guard let attribute = settable.first(where: { $0.name == entry.key }) else {
                if schema.contains(where: { $0.name == entry.key && $0.presence == .computed }) {
                    problems.append(.computedKey(key: entry.key, context: context, at: entry.keyLocation))
                } else {
                    problems.append(.unknownKey(key: entry.key, context: context, known: settable.map(\.name) + alsoKnown, at: entry.keyLocation))
                }
                continue
            }
            if entry.value.isNull { continue }
            let key = "\(context).\(entry.key)"
            if attribute.sensitive { checkSecretSource(entry.value, key: key) }
            if let value = readValue(entry.value, type: attribute.type, attribute: attribute, key: key) {
                values[entry.key] = attribute.sensitive ? Self.hidden(value) : value
            } else if deferring {
                deferring = false
                deferredNames.insert(entry.key)
            }
        }
        for attribute in settable where values[attribute.name] == nil && !deferredNames.contains(attribute.name) {
            let written = fields.contains { $0.key == attribute.name && !$0.value.isNull }
            if let fallback = attribute.defaultValue {
                values[attribute.name] = fallback
            } else if attribute.presence == .required && !written {
                problems.append(.missingKey(key: attribute.name, context: context, at: location))
            }
        }
        return values
    }

    /// A secret attribute's value: shown as `(sensitive)`, whatever it was written with.
    static func hidden(_ value: Value) -> Value {
        switch value {
        case .string(let text): return .sensitive(Sensitive(text))
        case .sensitive(let secret): return .sensitive(Sensitive(secret.revealed))
        default: return value
        }
    }

    /// Reads one value of `type`; nil (with a problem recorded) when it does not fit.
    mutating func readValue(_ node: ManifestNode, type: AttributeType, attribute: AttributeSchema, key: String) -> Value? {
        switch type {
        case .list(let item):
            guard case .sequence(let items, _) = node else {
                problems.append(.wrongType(key: key, expected: type.description, at: node.location))
                return nil
            }
            var values: [Value] = []
            for (index, child) in items.enumerated() {
                guard let value = readValue(child, type: item, attribute: attribute, key: "\(key)[\(index)]") else { continue }
                values.append(value)
            }
            return values.count == items.count ? .list(values) : nil
        case .object(let fields):
            guard case .mapping(let entries, _) = node else {
                problems.append(.wrongType(key: key, expected: type.description, at: node.location))
                return nil
            }
            let before = problems.count
            let object = readAttributes(unique(entries, context: key), schema: fields, context: key, location: node.location)
            return problems.count == before ? .object(object) : nil
        default:
            guard case .scalar(let written, let scalar, let at) = node else {
                problems.append(.wrongType(key: key, expected: type.description, at: node.location))
                return nil
            }
            return readScalar(written, scalar, type: type, attribute: attribute, key: key, at: at)
        }
    }

    /// Reads a scalar as an integer (or keyword), a boolean, or a string of its kind.
    mutating func readScalar(
        _ written: String, _ scalar: ManifestNode.Scalar, type: AttributeType, attribute: AttributeSchema, key: String, at: SourceLocation
    ) -> Value? {
        switch type {
        case .integer, .integerOrKeyword:
            return readInteger(written, scalar, type: type, attribute: attribute, key: key, at: at)
        case .boolean:
            if case .boolean(let flag) = scalar { return .boolean(flag) }
            if case .string = scalar, let resolved = interpolate(written, key: key, at: at), let flag = Bool(resolved) { return .boolean(flag) }
            if deferring { return nil }
            problems.append(.wrongType(key: key, expected: type.description, at: at))
            return nil
        default:
            let before = sourcesRead
            guard let text = interpolate(written, key: key, at: at, secret: attribute.sensitive) else { return nil }
            // A value read from the environment or a file shows as the text written, never as what it resolved to.
            let source = sourcesRead > before ? written : nil
            guard checkText(text, written: written, shownAs: source, type: type, attribute: attribute, key: key, at: at) else { return nil }
            return source.map { .sensitive(Sensitive(text, shownAs: $0)) } ?? .string(text)
        }
    }

    /// An integer within the attribute's bounds, or one of the type's keywords.
    mutating func readInteger(
        _ written: String, _ scalar: ManifestNode.Scalar, type: AttributeType, attribute: AttributeSchema, key: String, at: SourceLocation
    ) -> Value? {
        var number: Int?
        var text = written
        if case .integer(let value) = scalar { number = value } else {
            guard let resolved = interpolate(written, key: key, at: at) else { return nil }
            text = resolved
            number = Int(resolved)
        }
        if case .integerOrKeyword(let words) = type, number == nil, words.contains(text) { return .string(text) }
        guard let number else {
            problems.append(.wrongType(key: key, expected: type.description, at: at))
            return nil
        }
        if let minimum = attribute.minimum, number < minimum {
            problems.append(.outOfRange(key: key, rule: Self.rangeRule(attribute, unit: ""), at: at))
            return nil
        }
        if let maximum = attribute.maximum, number > maximum {
            problems.append(.outOfRange(key: key, rule: Self.rangeRule(attribute, unit: ""), at: at))
            return nil
        }
        return .integer(number)
    }

    /// True when the text is a non-empty value of its type: an allowed enumeration value, a usable URL, a string
    /// within its length and pattern; otherwise the problem is recorded.
    mutating func checkText(
        _ text: String, written: String, shownAs source: String?, type: AttributeType, attribute: AttributeSchema, key: String, at: SourceLocation
    ) -> Bool {
        if text.isEmpty {
            problems.append(.wrongType(key: key, expected: "a non-empty value: \(type.description)", at: at))
            return false
        }
        if case .enumeration(let allowed) = type, !allowed.contains(text) {
            problems.append(.invalidValue(key: key, value: attribute.sensitive ? "(sensitive)" : "\"\(source ?? text)\"", allowed: allowed, at: at))
            return false
        }
        if type == .url || (type == .endpoint && text != "sandbox") {
            return checkURL(text, type: type, attribute: attribute, key: key, at: at)
        }
        guard type == .string else { return true }
        if let maximum = attribute.maximum, text.count > maximum {
            problems.append(.outOfRange(key: key, rule: Self.rangeRule(attribute, unit: " characters") + ", not \(text.count)", at: at))
            return false
        }
        if let pattern = attribute.pattern, text.wholeMatch(of: try! Regex(pattern.regex)) == nil {
            let shown = attribute.sensitive ? "(sensitive)" : "\"\(written)\""
            problems.append(.patternMismatch(key: key, meaning: "\(pattern.meaning), not \(shown)", at: at))
            return false
        }
        return true
    }

    /// An absolute http(s) URL, and https in a production environment.
    mutating func checkURL(_ text: String, type: AttributeType, attribute: AttributeSchema, key: String, at: SourceLocation) -> Bool {
        if let reason = Self.urlProblem(text) {
            let example = type == .endpoint
                ? "`sandbox` or the bank's base URL, such as \(attribute.example ?? "https://api.bank.example")"
                : "an absolute URL such as https://hooks.example.com/bank"
            problems.append(.invalidURL(key: key, example: example, reason: reason, at: at))
            return false
        }
        if production, type == .url, !text.lowercased().hasPrefix("https://"), let environmentName {
            problems.append(.insecureURL(key: key, environment: environmentName, at: at))
            return false
        }
        return true
    }

    static func rangeRule(_ attribute: AttributeSchema, unit: String) -> String {
        switch (attribute.minimum, attribute.maximum) {
        case let (low?, high?): return "must be from \(low) to \(high)\(unit)"
        case let (low?, nil): return "must be at least \(low)\(unit)"
        case let (nil, high?): return "must be at most \(high)\(unit)"
        case (nil, nil): return "is out of range"
        }
    }

    /// Replaces `${env:NAME}`, `${env:NAME:-default}` and `${file:PATH}`, and `$${` by a literal `${`; nil (with a
    /// problem recorded) when it cannot. Every text read from the environment or a file is kept in `interpolated`.
    /// A `secret` (a sensitive attribute) takes no written default in production, as a provider setting does not.
    mutating func interpolate(_ text: String, key: String, at location: SourceLocation, secret: Bool = false) -> String? {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("${") {
                output += "${"
                rest = after.dropFirst(2)
                continue
            }
            guard after.hasPrefix("{") else {
                output += "$"
                rest = after
                continue
            }
            guard let end = after.firstIndex(of: "}") else {
                problems.append(.malformedInterpolation(text: String(rest[dollar...]), key: key, at: location))
                return nil
            }
            guard let value = resolve(after[after.index(after: after.startIndex)..<end], key: key, at: location, secret: secret) else { return nil }
            output += value
            rest = after[after.index(after: end)...]
        }
        return output + rest
    }

    /// The text of one `${BODY}`: a file's contents or a variable's value (or its default); nil with a problem recorded,
    /// or, for an unset variable with deferred credentials, nil with `deferring` set and the value listed in `deferred`.
    mutating func resolve(_ body: Substring, key: String, at location: SourceLocation, secret: Bool) -> String? {
        if body.hasPrefix("file:") {
            return readFile(String(body.dropFirst(5)), body: body, key: key, at: location)
        }
        guard body.hasPrefix("env:") else {
            problems.append(.malformedInterpolation(text: "${\(body)}", key: key, at: location))
            return nil
        }
        let spec = body.dropFirst(4)
        let name: Substring
        let fallback: Substring?
        if let separator = spec.range(of: ":-") {
            name = spec[..<separator.lowerBound]
            fallback = spec[separator.upperBound...]
        } else {
            name = spec
            fallback = nil
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            problems.append(.malformedInterpolation(text: "${\(body)}", key: key, at: location))
            return nil
        }
        if let value = parser.variables[String(name)] {
            interpolated.insert(value)
            sourcesRead += 1
            return value
        }
        return unset(String(name), fallback: fallback.map(String.init), key: key, at: location, secret: secret)
    }

    /// What an unset variable gives: its written default, except for a provider setting or a secret in production;
    /// else, with deferred credentials, nothing and a note; else nothing and an error.
    mutating func unset(_ name: String, fallback: String?, key: String, at location: SourceLocation, secret: Bool) -> String? {
        let refusesDefault = production && (key.hasPrefix("providers.") || secret)
        if let fallback, !refusesDefault { return fallback }
        if let environmentName, production, fallback != nil {
            problems.append(.productionVariableUnset(name: name, key: key, environment: environmentName, hadDefault: true, at: location))
        } else if parser.credentials == .deferred {
            deferring = true
            deferred.append(DeferredValue(.variable(name), key: key, location: location))
        } else if let environmentName, refusesDefault {
            problems.append(.productionVariableUnset(name: name, key: key, environment: environmentName, hadDefault: false, at: location))
        } else {
            problems.append(.missingVariable(name: name, key: key, at: location))
        }
        return nil
    }

    /// A secret written as plain text (no `${env:}` or `${file:}`) is a warning, and an error in production. A
    /// backend URL without a password holds no secret.
    mutating func checkSecretSource(_ node: ManifestNode, key: String) {
        guard case .scalar(let written, _, let at) = node, !written.isEmpty else { return }
        let references = written.replacingOccurrences(of: "$${", with: "")
        guard !references.contains("${env:"), !references.contains("${file:") else { return }
        if key == "\(BackendConfig.key).url", !Self.hasPassword(url: written) { return }
        problems.append(.literalSecret(key: key, production: production ? environmentName : nil, at: at))
    }

    /// True when the URL's authority holds `user:password@`.
    static func hasPassword(url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return false }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return false }
        return authority[..<at].contains(":")
    }

    /// True when the value at `key` was deferred.
    func isDeferred(_ key: String) -> Bool {
        deferred.contains { $0.key == key }
    }

    /// What does not stop the load: the warnings among the problems, and a note for each deferred value.
    func notices() -> [ManifestProblem] {
        problems.filter { $0.severity != .error } + deferred.map {
            .valueDeferred($0.source, key: $0.key, environments: environmentName.map { [$0] } ?? [], at: $0.location)
        }
    }

    /// The contents of `${file:PATH}`, PATH relative to the manifest file, without its last line feed; nil with a
    /// problem recorded when the path is absolute, the reader refuses it or cannot read it.
    mutating func readFile(_ path: String, body: Substring, key: String, at location: SourceLocation) -> String? {
        guard !path.isEmpty else {
            problems.append(.malformedInterpolation(text: "${\(body)}", key: key, at: location))
            return nil
        }
        guard !path.hasPrefix("/") else {
            problems.append(.fileRefused(reference: "${\(body)}", key: key, rule: .absolute, root: nil, at: location))
            return nil
        }
        let resolved = (location.file as NSString).deletingLastPathComponent.appendingPathComponentIfAny(path)
        let contents: String?
        do {
            contents = try parser.readFile(resolved)
        } catch let refusal as FileRefusal {
            problems.append(.fileRefused(reference: "${\(body)}", key: key, rule: refusal.rule, root: refusal.root, at: location))
            return nil
        } catch {
            contents = nil
        }
        guard var contents else {
            if parser.credentials == .deferred {
                // A key kept out of git: the commands that contact no bank go on without it, as without a variable.
                deferring = true
                deferred.append(DeferredValue(.file(written: path, resolved: resolved), key: key, location: location))
            } else {
                problems.append(.unreadableFile(path: resolved, key: key, relative: true, at: location))
            }
            return nil
        }
        if contents.hasSuffix("\n") { contents.removeLast() }
        interpolated.insert(contents)
        sourcesRead += 1
        return contents
    }

    static func kindSchema(of resource: Resource, in catalog: ProviderCatalog) -> ResourceKindSchema? {
        catalog.kind(resource.address.kind, of: resource.providerType)
    }

    /// Resolves references and checks for cycles, and at the same time checks natural keys: the two read the
    /// resources independently. Problems are added in that order.
    mutating func checkLinksAndKeys() {
        let (catalog, read) = (parser.catalog, resources)
        let (keyProblems, linked) = Concurrently.both(
            { Self.naturalKeyProblems(read, catalog: catalog) },
            { () -> (resources: [Resource], problems: [ManifestProblem]) in
                var linking = read
                let positions = DependencyGraph.positions(of: linking)
                let problems = Self.resolveReferences(&linking, positions: positions, catalog: catalog)
                return (linking, problems + Self.cycleProblems(linking, positions: positions))
            })
        resources = linked.resources
        problems += linked.problems + keyProblems
    }

    /// Sets each resource's references from its reference attributes; a name no resource of the kind has is a problem.
    static func resolveReferences(
        _ resources: inout [Resource], positions addresses: [ResourceAddress: Int], catalog: ProviderCatalog
    ) -> [ManifestProblem] {
        var problems: [ManifestProblem] = []
        for index in resources.indices {
            guard let kind = kindSchema(of: resources[index], in: catalog) else { continue }
            for attribute in kind.attributes {
                guard case .reference(let target) = attribute.type, let value = resources[index].attributes[attribute.name] else { continue }
                let name = value.revealedText
                let address = ResourceAddress(instance: resources[index].address.instance, kind: target, name: name)
                if addresses[address] != nil {
                    resources[index].references[attribute.name] = address
                } else {
                    let known = addresses.keys.filter { $0.instance == address.instance && $0.kind == target }.compactMap(\.name)
                    problems.append(.unknownReference(
                        name: value.displayText, kind: "\(address.instance).\(target)", from: "\(resources[index].address).\(attribute.name)",
                        known: known, at: resources[index].location))
                }
            }
        }
        return problems
    }

    static func cycleProblems(_ resources: [Resource], positions: [ResourceAddress: Int]) -> [ManifestProblem] {
        DependencyGraph.cycles(resources, positions: positions).map { cycle in
            let location = positions[cycle[0]].map { resources[$0].location } ?? SourceLocation(file: "manifest", line: 1, column: 1)
            return .referenceCycle(cycle: (cycle + [cycle[0]]).map(\.description), at: location)
        }
    }

    /// Two resources the bank would see as the same thing: equal natural keys within one kind.
    static func naturalKeyProblems(_ resources: [Resource], catalog: ProviderCatalog) -> [ManifestProblem] {
        /// A natural key within one kind of one provider instance.
        struct Holding: Hashable {
            var instance: String
            var kind: String
            var key: String
        }
        // The first holder of every key, and a list only for keys held more than once.
        var holders: [Holding: Int] = [:]
        var shared: [Holding: [Int]] = [:]
        holders.reserveCapacity(resources.count)
        for (index, resource) in resources.enumerated() {
            guard let key = kindSchema(of: resource, in: catalog)?.naturalKey(of: resource) else { continue }
            let holding = Holding(instance: resource.address.instance, kind: resource.address.kind, key: key)
            if let first = holders[holding] {
                shared[holding, default: [first]].append(index)
            } else {
                holders[holding] = index
            }
        }
        var problems: [ManifestProblem] = []
        for (_, indices) in shared {
            let sharing = indices.map { resources[$0] }.sorted { $0.location < $1.location }
            let first = sharing[0]
            let fields = kindSchema(of: first, in: catalog)?.naturalKey ?? []
            for resource in sharing.dropFirst() {
                let shown = fields.map { "\($0) \(resource.attributes[$0]?.description ?? "")" }.joined(separator: ", ")
                problems.append(.duplicateNaturalKey(key: fields.joined(separator: " + "), value: shown, other: "\(first.address) at \(first.location)", at: resource.location))
            }
        }
        return problems
    }

    static func text(of node: ManifestNode) -> String {
        if case .scalar(let text, _, _) = node { return text }
        return "?"
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }

    /// An endpoint carries no user name or password, and plain http goes only to this machine unless the provider sets
    /// `allow_insecure_http: true`.
    mutating func checkEndpoint(_ url: String, provider: String, settings: [String: Value], at location: SourceLocation) {
        guard Self.urlProblem(url) == nil, let schemeEnd = url.range(of: "://") else { return }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.contains("@") {
            problems.append(.credentialsInURL(key: "providers.\(provider).endpoint", at: location))
        }
        // In production any http endpoint is refused already (`insecureURL`).
        let insecureAllowed = settings[EngineSettings.allowInsecureHTTPKey] == .boolean(true) || production
        if url[..<schemeEnd.lowerBound].lowercased() == "http", !ManifestParser.isLoopback(url: url), !insecureAllowed {
            problems.append(.insecureEndpoint(provider: provider, at: location))
        }
    }

    static func urlProblem(_ text: String) -> String? {
        guard let schemeEnd = text.range(of: "://") else { return "no scheme such as https://" }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return "scheme must be http or https" }
        let rest = text[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty else { return "no host" }
        guard !text.contains(where: { $0.isWhitespace }) else { return "contains spaces" }
        return nil
    }
}

extension String {
    /// `self/component`, or just `component` when `self` is empty.
    func appendingPathComponentIfAny(_ component: String) -> String {
        isEmpty ? component : (self as NSString).appendingPathComponent(component)
    }
}

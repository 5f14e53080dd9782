import Yams

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
/// Pure: the environment is passed in; nothing is read from disk.
public struct ManifestParser {
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    static let topLevelKeys = ["version", "providers"]

    /// Parses and merges the files; throws `ManifestError` with every problem found, sorted by location.
    public func parse(_ sources: [ManifestSource]) throws(ManifestError) -> Manifest {
        var run = Run(environment: environment)
        var roots: [(ManifestSource, Node.Mapping)] = []
        for source in sources {
            if let mapping = run.root(of: source) { roots.append((source, mapping)) }
        }
        run.readVersion(roots)
        let providers = run.readProviders(roots)
        run.readSections(roots, providers: providers)
        run.resolveReferences(providers: providers)
        run.checkNaturalKeys()
        guard run.problems.isEmpty else { throw ManifestError(run.problems) }
        return Manifest(version: 1, providers: Array(providers.values), resources: run.resources)
    }
}

private struct Run {
    let environment: [String: String]
    var problems: [ManifestProblem] = []
    var resources: [Resource] = []
    var firstSeen: [String: SourceLocation] = [:]
    var file = ""

    init(environment: [String: String]) {
        self.environment = environment
    }

    func at(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func root(of source: ManifestSource) -> Node.Mapping? {
        file = source.path
        do {
            guard let node = try Yams.compose(yaml: source.text) else { return nil }
            guard case .mapping(let mapping) = node else {
                problems.append(.wrongType(key: "the manifest", expected: "a mapping of keys (version, providers, sections)", at: at(node)))
                return nil
            }
            return mapping
        } catch let error as YamlError {
            problems.append(Self.syntaxProblem(error, file: source.path))
            return nil
        } catch {
            problems.append(.yamlSyntax(message: "\(error)", at: SourceLocation(file: source.path, line: 1, column: 1)))
            return nil
        }
    }

    static func syntaxProblem(_ error: YamlError, file: String) -> ManifestProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let message = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return .yamlSyntax(message: message, at: SourceLocation(file: file, line: mark.line, column: mark.column))
        default:
            return .yamlSyntax(message: "\(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// The entries of a mapping, reporting a key written twice.
    mutating func entries(_ mapping: Node.Mapping, context: String) -> [(key: String, keyNode: Node, value: Node)] {
        var seen: [String: SourceLocation] = [:]
        var result: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            if let first = seen[key] {
                problems.append(.duplicate(name: "\(context).\(key)", first: first, at: at(keyNode)))
                continue
            }
            seen[key] = at(keyNode)
            result.append((key, keyNode, value))
        }
        return result
    }

    mutating func readVersion(_ roots: [(ManifestSource, Node.Mapping)]) {
        var found = false
        for (source, mapping) in roots {
            file = source.path
            for (keyNode, value) in mapping where keyNode.string == "version" {
                found = true
                if value.int != 1 {
                    problems.append(.unsupportedVersion(found: value.string ?? "?", at: at(value)))
                }
            }
        }
        if !found, let (source, mapping) = roots.first {
            file = source.path
            problems.append(.missingKey(key: "version", context: "the manifest", at: at(.mapping(mapping))))
        }
    }

    mutating func readProviders(_ roots: [(ManifestSource, Node.Mapping)]) -> [String: ProviderConfig] {
        var providers: [String: ProviderConfig] = [:]
        var sawProviders = false
        for (source, mapping) in roots {
            file = source.path
            for (keyNode, value) in mapping where keyNode.string == "providers" {
                sawProviders = true
                guard case .mapping(let list) = value else {
                    problems.append(.wrongType(key: "providers", expected: "a mapping of provider names to settings", at: at(value)))
                    continue
                }
                for (name, nameNode, body) in entries(list, context: "providers") {
                    let location = at(nameNode)
                    if let first = firstSeen["providers.\(name)"] {
                        problems.append(.duplicate(name: "providers.\(name)", first: first, at: location))
                        continue
                    }
                    firstSeen["providers.\(name)"] = location
                    if !Self.isValidName(name) { problems.append(.invalidName(name: name, at: location)) }
                    if let config = readProvider(name: name, body: body, location: location) {
                        providers[name] = config
                    }
                }
            }
        }
        if !sawProviders, let (source, mapping) = roots.first {
            file = source.path
            problems.append(.missingKey(key: "providers", context: "the manifest", at: at(.mapping(mapping))))
        }
        return providers
    }

    mutating func readProvider(name: String, body: Node, location: SourceLocation) -> ProviderConfig? {
        guard case .mapping(let mapping) = body else {
            problems.append(.wrongType(key: "providers.\(name)", expected: "a mapping with type, endpoint and credentials", at: at(body)))
            return nil
        }
        let fields = entries(mapping, context: "providers.\(name)")
        guard let typeEntry = fields.first(where: { $0.key == "type" }) else {
            problems.append(.missingKey(key: "type", context: "providers.\(name)", at: location))
            return nil
        }
        let typeName = typeEntry.value.string ?? ""
        guard let schema = ProviderCatalog.type(typeName) else {
            problems.append(.unknownProviderType(type: typeName, provider: name, known: ProviderCatalog.all.map(\.type), at: at(typeEntry.value)))
            return nil
        }
        let values = readAttributes(
            fields.filter { $0.key != "type" }, schema: schema.settings, context: "providers.\(name)", location: location)
        var settings = values
        settings["endpoint"] = nil
        // A provider whose endpoint was rejected is still returned, so its section is checked too;
        // the recorded problem keeps the manifest from being used.
        let endpoint: Endpoint
        if case .string(let text)? = values["endpoint"], text != "sandbox" {
            endpoint = .url(text)
        } else {
            endpoint = .sandbox
        }
        return ProviderConfig(name: name, type: typeName, endpoint: endpoint, settings: settings, location: location)
    }

    mutating func readSections(_ roots: [(ManifestSource, Node.Mapping)], providers: [String: ProviderConfig]) {
        for (source, mapping) in roots {
            file = source.path
            for (key, keyNode, value) in entries(mapping, context: "the manifest") where !ManifestParser.topLevelKeys.contains(key) {
                guard let provider = providers[key] else {
                    if firstSeen["providers.\(key)"] == nil {
                        problems.append(.unknownProvider(section: key, known: providers.keys.sorted(), at: at(keyNode)))
                    }
                    continue
                }
                guard let schema = provider.schema else { continue }
                guard case .mapping(let kinds) = value else {
                    problems.append(.wrongType(key: key, expected: "a mapping of resource kinds (\(schema.kinds.map(\.name).joined(separator: ", ")))", at: at(value)))
                    continue
                }
                for (kindName, kindNode, body) in entries(kinds, context: key) {
                    guard let kind = schema.kind(kindName) else {
                        problems.append(.unknownKind(kind: kindName, providerType: schema.type, known: schema.kinds.map(\.name), at: at(kindNode)))
                        continue
                    }
                    readKind(kind, instance: key, providerType: schema.type, body: body, location: at(kindNode))
                }
            }
        }
    }

    mutating func readKind(_ kind: ResourceKindSchema, instance: String, providerType: String, body: Node, location: SourceLocation) {
        if kind.isSingleton {
            addResource(ResourceAddress(instance: instance, kind: kind.name), kind: kind, providerType: providerType, body: body, location: location)
            return
        }
        guard case .mapping(let named) = body else {
            problems.append(.wrongType(key: "\(instance).\(kind.name)", expected: "a mapping of names to \(kind.name) entries", at: at(body)))
            return
        }
        for (name, nameNode, entry) in entries(named, context: "\(instance).\(kind.name)") {
            if !Self.isValidName(name) { problems.append(.invalidName(name: name, at: at(nameNode))) }
            addResource(ResourceAddress(instance: instance, kind: kind.name, name: name), kind: kind, providerType: providerType, body: entry, location: at(nameNode))
        }
    }

    mutating func addResource(_ address: ResourceAddress, kind: ResourceKindSchema, providerType: String, body: Node, location: SourceLocation) {
        if let first = firstSeen[address.description] {
            problems.append(.duplicate(name: address.description, first: first, at: location))
            return
        }
        firstSeen[address.description] = location
        guard case .mapping(let mapping) = body else {
            problems.append(.wrongType(key: address.description, expected: "a mapping of attributes (\(kind.attributes.filter { $0.presence != .computed }.map(\.name).joined(separator: ", ")))", at: at(body)))
            return
        }
        let attributes = readAttributes(entries(mapping, context: address.description), schema: kind.attributes, context: address.description, location: location)
        resources.append(Resource(address: address, providerType: providerType, capability: kind.capability, attributes: attributes, location: location))
    }

    /// Reads attributes against their schema; every problem is recorded, good values are returned.
    mutating func readAttributes(
        _ fields: [(key: String, keyNode: Node, value: Node)], schema: [AttributeSchema], context: String, location: SourceLocation
    ) -> [String: Value] {
        let settable = schema.filter { $0.presence != .computed }
        var values: [String: Value] = [:]
        for (key, keyNode, node) in fields {
            guard let attribute = settable.first(where: { $0.name == key }) else {
                problems.append(.unknownKey(key: key, context: context, known: settable.map(\.name), at: at(keyNode)))
                continue
            }
            if let value = readValue(node, attribute: attribute, key: "\(context).\(key)") {
                values[key] = value
            }
        }
        for attribute in settable where attribute.presence == .required && fields.allSatisfy({ $0.key != attribute.name }) {
            problems.append(.missingKey(key: attribute.name, context: context, at: location))
        }
        return values
    }

    mutating func readValue(_ node: Node, attribute: AttributeSchema, key: String) -> Value? {
        guard case .scalar(let scalar) = node else {
            problems.append(.wrongType(key: key, expected: attribute.type.description, at: at(node)))
            return nil
        }
        switch attribute.type {
        case .integer:
            guard let number = node.int else {
                problems.append(.wrongType(key: key, expected: attribute.type.description, at: at(node)))
                return nil
            }
            return .integer(number)
        case .boolean:
            guard let flag = node.bool else {
                problems.append(.wrongType(key: key, expected: attribute.type.description, at: at(node)))
                return nil
            }
            return .boolean(flag)
        case .string, .url, .endpoint, .reference:
            guard let text = interpolate(scalar.string, key: key, at: at(node)) else { return nil }
            if text.isEmpty {
                problems.append(.wrongType(key: key, expected: "a non-empty \(attribute.type.description.replacingOccurrences(of: "a ", with: ""))", at: at(node)))
                return nil
            }
            if attribute.type == .url || (attribute.type == .endpoint && text != "sandbox") {
                if let reason = Self.urlProblem(text) {
                    problems.append(.invalidURL(key: key, value: attribute.sensitive ? "(sensitive)" : text, reason: reason, at: at(node)))
                    return nil
                }
            }
            return attribute.sensitive ? .sensitive(Sensitive(text)) : .string(text)
        }
    }

    /// Replaces `${env:NAME}` and `${env:NAME:-default}`; nil (with a problem recorded) when it cannot.
    mutating func interpolate(_ text: String, key: String, at location: SourceLocation) -> String? {
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                problems.append(.malformedInterpolation(text: String(rest[start.lowerBound...]), key: key, at: location))
                return nil
            }
            let body = rest[start.upperBound..<end]
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
            if let value = environment[String(name)] {
                output += value
            } else if let fallback {
                output += fallback
            } else {
                problems.append(.missingVariable(name: String(name), key: key, at: location))
                return nil
            }
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }

    mutating func resolveReferences(providers: [String: ProviderConfig]) {
        let addresses = Set(resources.map(\.address))
        for index in resources.indices {
            guard let kind = resources[index].kindSchema else { continue }
            for attribute in kind.attributes {
                guard case .reference(let target) = attribute.type,
                      case .string(let name)? = resources[index].attributes[attribute.name] else { continue }
                let address = ResourceAddress(instance: resources[index].address.instance, kind: target, name: name)
                if addresses.contains(address) {
                    resources[index].references[attribute.name] = address
                } else {
                    let known = addresses.filter { $0.instance == address.instance && $0.kind == target }.compactMap(\.name)
                    problems.append(.unknownReference(
                        name: name, kind: "\(address.instance).\(target)", from: "\(resources[index].address).\(attribute.name)",
                        known: known, at: resources[index].location))
                }
            }
        }
    }

    /// Two resources the bank would see as the same thing: equal natural keys within one kind.
    mutating func checkNaturalKeys() {
        var seen: [String: Resource] = [:]
        for resource in resources {
            guard let fields = resource.kindSchema?.naturalKey, !fields.isEmpty,
                  let key = resource.naturalKey else { continue }
            let slot = "\(resource.address.instance).\(resource.address.kind)|\(key)"
            if let other = seen[slot] {
                let shown = fields.map { "\($0) \(resource.attributes[$0]?.description ?? "")" }.joined(separator: ", ")
                problems.append(.duplicateNaturalKey(key: fields.joined(separator: " + "), value: shown, other: "\(other.address) at \(other.location)", at: resource.location))
            } else {
                seen[slot] = resource
            }
        }
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
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

import Yams
import PlanModel

/// The JSON Schema (draft 2020-12) of a manifest, generated from a `ProviderCatalog`.
///
/// Editors that use yaml-language-server validate and complete a manifest with it
/// (`# yaml-language-server: $schema=manifest.schema.json`). It checks the shape of one file read as a
/// whole manifest; what needs the values resolved or several places compared (references, production
/// rules, which provider a section belongs to) is left to `provision validate`.
public enum ManifestSchema {
    public static let id = "https://provision.dev/schemas/manifest-v1.json"
    public static let metaSchema = "https://json-schema.org/draft/2020-12/schema"
    /// Names of provider instances, environments and entries (see `ParseRun.isValidName`).
    public static let namePattern = ResourceAddress.namePattern
    /// A value that is an `${env:...}`/`${file:...}` reference, for integer and boolean attributes.
    static let interpolationPattern = "^\\$\\{(env|file):"
    /// A string holding such a reference anywhere, for constrained strings (checked once resolved).
    static let interpolatedPattern = "\\$\\{(env|file):"
    static let urlPattern = "^https?://[^\\s/?#]+\\S*$"

    /// The schema as pretty JSON with sorted keys, ending in a newline; the same catalog gives the same text.
    public static func json(catalog: ProviderCatalog) -> String {
        document(catalog.types).rendered() + "\n"
    }

    static func document(_ catalog: [ProviderTypeSchema]) -> SchemaJSON {
        let types = SchemaJSON.array(catalog.map { .string($0.type) })
        var defs: [String: SchemaJSON] = [
            "name": [
                "type": "string", "pattern": .string(namePattern),
                "description": "a name: ASCII letters, digits, _ and -, starting with a letter or digit",
            ],
            "interpolation": [
                "type": "string", "pattern": .string(interpolationPattern),
                "description": "${env:NAME}, ${env:NAME:-default} or ${file:PATH}, resolved when the manifest is loaded; it must resolve to a value of the attribute's type",
            ],
            "interpolatedString": [
                "type": "string", "pattern": .string(interpolatedPattern),
                "description": "a string holding ${env:NAME}, ${env:NAME:-default} or ${file:PATH}; checked once resolved",
            ],
            "provider": [
                "type": "object",
                "description": "a provider instance: its type and that type's settings",
                "required": ["type"],
                "properties": ["type": ["description": "the provider type", "enum": types]],
                "allOf": .array(catalog.map { provider in
                    [
                        "if": ["properties": ["type": ["const": .string(provider.type)]], "required": ["type"]],
                        "then": ref("provider.\(provider.type)"),
                    ]
                }),
            ],
            "providerOverride": [
                "type": "object",
                "description": "settings laid over a provider's for this environment; nothing is required",
                "properties": ["type": ["description": "the provider type", "enum": types]],
                "anyOf": .array(catalog.map { ref("providerOverride.\($0.type)") }),
            ],
            "environment": [
                "type": ["object", "null"],
                "description": "overrides laid over the manifest when this environment is chosen with --env: production, providers, and provider sections; nothing in them is required",
                "propertyNames": ref("name"),
                "properties": [
                    "production": [
                        "type": "boolean", "default": false,
                        "description": "a production environment: every endpoint and URL must be https, and endpoint: sandbox is refused",
                    ],
                    "backend": ref("backendOverride"),
                    "gates": [
                        "type": "object",
                        "description": "named manual steps of the journey, in order, each with its instructions (and optionally who does it); apply refuses until every one is confirmed with provision confirm gate.NAME --env E",
                        "propertyNames": ref("name"),
                        "additionalProperties": [
                            "anyOf": [
                                ["type": "string", "minLength": .integer(1), "description": "the instructions"],
                                [
                                    "type": "object", "required": ["instructions"], "additionalProperties": false,
                                    "properties": [
                                        "instructions": ["type": "string", "minLength": .integer(1), "description": "what a person does"],
                                        "owner": ["type": "string", "minLength": .integer(1), "description": "who does it (a team or a person), shown by provision runbook"],
                                    ],
                                ],
                            ],
                        ],
                    ],
                    "promotes_from": [
                        "type": "string",
                        "description": "another environment whose last apply must have converged with the same definitions for every resource the two share before this one applies",
                    ],
                    "providers": [
                        "type": "object",
                        "description": "provider settings to override, by instance name",
                        "propertyNames": ref("name"),
                        "additionalProperties": ref("providerOverride"),
                    ],
                ],
                "additionalProperties": [
                    "description": "resources to override or add in a provider instance's section",
                    "anyOf": .array(catalog.map { ref("sectionOverride.\($0.type)") }),
                ],
            ],
        ]
        defs["backend"] = backend(partial: false)
        defs["backendOverride"] = backend(partial: true)
        for provider in catalog {
            defs["provider.\(provider.type)"] = settings(provider, partial: false)
            defs["providerOverride.\(provider.type)"] = settings(provider, partial: true)
            defs["section.\(provider.type)"] = section(provider, partial: false)
            defs["sectionOverride.\(provider.type)"] = section(provider, partial: true)
            for kind in provider.kinds {
                defs["resource.\(provider.type).\(kind.name)"] = resource(kind, provider: provider, partial: false)
                defs["resourceOverride.\(provider.type).\(kind.name)"] = resource(kind, provider: provider, partial: true)
            }
        }
        return [
            "$schema": .string(metaSchema),
            "$id": .string(id),
            "title": "provision manifest",
            "description": "A provision manifest (version 1): providers, environments, where the state is kept, and one section of resources per provider instance, named after it. Generated from the provider catalog by `provision schema`.",
            "type": "object",
            "required": ["version", "providers"],
            "propertyNames": ref("name"),
            "properties": [
                "version": ["const": 1, "description": "the manifest format version: 1"],
                "providers": [
                    "type": "object",
                    "description": "provider instances by name; each section of the manifest is named after one",
                    "propertyNames": ref("name"),
                    "additionalProperties": ref("provider"),
                ],
                "backend": ref("backend"),
                "moved": [
                    "type": "array",
                    "description": "resources renamed or moved: the state tracked at from is the resource now declared at to; apply moves it without a bank call",
                    "items": [
                        "type": "object", "required": ["from", "to"], "additionalProperties": false,
                        "properties": [
                            "from": ["type": "string", "description": "the old address, INSTANCE.KIND.NAME, no longer declared"],
                            "to": ["type": "string", "description": "the new address, INSTANCE.KIND.NAME, declared"],
                        ],
                    ],
                ],
                "environments": [
                    "type": "object",
                    "description": "named environments; --env NAME lays one over the manifest",
                    "propertyNames": ref("name"),
                    "additionalProperties": ref("environment"),
                ],
            ],
            "additionalProperties": [
                "description": "the section of the provider instance of the same name: its resource kinds",
                "anyOf": .array(catalog.map { ref("section.\($0.type)") }),
            ],
            "$defs": .object(defs),
        ]
    }

    /// `backend:`: where the state is kept; a postgres backend needs its url.
    static func backend(partial: Bool) -> SchemaJSON {
        var schema = objectSchema(BackendConfig.attributes, partial: partial)
        schema["title"] = .string(partial ? "state backend override" : "state backend")
        schema["description"] = .string(partial
            ? "where this environment's state is kept, laid over backend:; nothing is required"
            : "where the state is kept: the local folder (the default) or a PostgreSQL database shared by every machine that plans and applies")
        if !partial {
            schema["if"] = ["properties": ["type": ["const": "postgres"]], "required": ["type"]]
            schema["then"] = ["required": ["url"]]
        }
        return .object(schema)
    }

    static func ref(_ name: String) -> SchemaJSON {
        ["$ref": .string("#/$defs/\(name)")]
    }

    static func settings(_ provider: ProviderTypeSchema, partial: Bool) -> SchemaJSON {
        var properties: [String: SchemaJSON] = [
            "type": ["const": .string(provider.type), "description": .string("\(provider.displayName)")],
        ]
        for attribute in provider.settings where attribute.presence != .computed {
            properties[attribute.name] = self.attribute(attribute, partial: partial)
        }
        var schema: [String: SchemaJSON] = [
            "type": "object",
            "title": .string("\(provider.displayName) (\(provider.type))" + (partial ? " settings override" : " settings")),
            "description": .string(partial
                ? "\(provider.type) settings to change in this environment; nothing is required"
                : "settings of a \(provider.type) provider instance"),
            "additionalProperties": false,
            "properties": .object(properties),
        ]
        if !partial {
            schema["required"] = .array((["type"] + requiredNames(provider.settings)).map { .string($0) })
        }
        return .object(schema)
    }

    static func section(_ provider: ProviderTypeSchema, partial: Bool) -> SchemaJSON {
        var properties: [String: SchemaJSON] = [:]
        for kind in provider.kinds {
            let entry = ref((partial ? "resourceOverride." : "resource.") + "\(provider.type).\(kind.name)")
            if kind.isSingleton {
                properties[kind.name] = entry
            } else {
                properties[kind.name] = [
                    "type": "object",
                    "description": .string(kindDescription(kind) + " Entries by name."),
                    "propertyNames": ref("name"),
                    "additionalProperties": entry,
                ]
            }
        }
        return [
            "type": "object",
            "title": .string("\(provider.displayName) (\(provider.type)) section" + (partial ? " override" : "")),
            "description": .string("resources of a \(provider.type) provider instance: "
                + provider.kinds.map { "\($0.name) (\($0.capability.rawValue))" }.joined(separator: ", ")),
            "additionalProperties": false,
            "properties": .object(properties),
        ]
    }

    static func resource(_ kind: ResourceKindSchema, provider: ProviderTypeSchema, partial: Bool) -> SchemaJSON {
        var schema = objectSchema(kind.attributes, partial: partial)
        if case .object(var properties)? = schema["properties"] {
            properties[AttributeSchema.protect.name] = attribute(.protect, partial: partial)
            properties[AttributeSchema.owner.name] = attribute(.owner, partial: partial)
            schema["properties"] = .object(properties)
        }
        schema["title"] = .string("\(provider.type) \(kind.name)" + (kind.isSingleton ? "" : " entry") + (partial ? " override" : ""))
        schema["description"] = .string(kindDescription(kind))
        return .object(schema)
    }

    static func kindDescription(_ kind: ResourceKindSchema) -> String {
        var text = sentence(kind.summary) + " " + sentence(capitalizedFirst(ManifestReference.meaning(of: kind.capability)))
        let computed = kind.attributes.filter { $0.presence == .computed }.map(\.name)
        if !computed.isEmpty {
            text += " Read back from the bank, not written: " + computed.joined(separator: ", ") + "."
        }
        return text
    }

    static func requiredNames(_ attributes: [AttributeSchema]) -> [String] {
        attributes.filter { $0.presence == .required }.map(\.name)
    }

    static func objectSchema(_ attributes: [AttributeSchema], partial: Bool) -> [String: SchemaJSON] {
        var properties: [String: SchemaJSON] = [:]
        for attribute in attributes where attribute.presence != .computed {
            properties[attribute.name] = self.attribute(attribute, partial: partial)
        }
        var schema: [String: SchemaJSON] = ["type": "object", "additionalProperties": false, "properties": .object(properties)]
        let required = requiredNames(attributes)
        if !partial, !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return schema
    }

    /// One attribute: its value's schema with description, default and example.
    static func attribute(_ attribute: AttributeSchema, partial: Bool) -> SchemaJSON {
        var schema = valueSchema(attribute.type, attribute, partial: partial)
        schema["description"] = .string(description(of: attribute))
        if let fallback = attribute.defaultValue { schema["default"] = SchemaJSON(fallback) }
        if let example = exampleValue(attribute) { schema["examples"] = [example] }
        if attribute.sensitive { schema["writeOnly"] = true }
        return .object(schema)
    }

    static func description(of attribute: AttributeSchema) -> String {
        var text = sentence(attribute.summary)
        if let pattern = attribute.pattern { text += " Must be \(pattern.meaning)." }
        switch attribute.type {
        case .url: text += " An http(s) URL; https in a production environment."
        case .endpoint: text += " In a production environment: an https URL, not sandbox."
        default: break
        }
        if attribute.immutable { text += " Immutable: a change forces replacement." }
        if attribute.sensitive { text += " Sensitive: never printed or stored; write it as ${env:NAME} or ${file:PATH}." }
        return text
    }

    static func sentence(_ text: String) -> String {
        text.hasSuffix(".") ? text : text + "."
    }

    /// The schema of a value of `type`; `attribute` gives the bounds and pattern (for a list, of its items).
    static func valueSchema(_ type: AttributeType, _ attribute: AttributeSchema, partial: Bool) -> [String: SchemaJSON] {
        let url: SchemaJSON = ["type": "string", "format": "uri", "pattern": .string(urlPattern)]
        switch type {
        case .string:
            var schema: [String: SchemaJSON] = ["type": "string", "minLength": .integer(max(1, attribute.minimum ?? 1))]
            if let maximum = attribute.maximum { schema["maxLength"] = .integer(maximum) }
            if let pattern = attribute.pattern { schema["pattern"] = .string(anchored(pattern.regex)) }
            guard attribute.maximum != nil || attribute.pattern != nil else { return schema }
            return ["anyOf": [.object(schema), ref("interpolatedString")]]
        case .url:
            return ["anyOf": [url, ref("interpolatedString")]]
        case .endpoint:
            return ["anyOf": [["const": "sandbox"], url, ref("interpolatedString")]]
        case .reference:
            return ["anyOf": [ref("name"), ref("interpolatedString")]]
        case .enumeration(let values):
            return ["anyOf": [["type": "string", "enum": .array(values.map { .string($0) })], ref("interpolatedString")]]
        case .integer:
            return ["anyOf": [integerSchema(attribute), ref("interpolation")]]
        case .integerOrKeyword(let words):
            return ["anyOf": [integerSchema(attribute), ["type": "string", "enum": .array(words.map { .string($0) })], ref("interpolation")]]
        case .boolean:
            return ["anyOf": [["type": "boolean"], ref("interpolation")]]
        case .list(let item):
            // A list replaces the one it overrides whole, so its items are always complete.
            return ["type": "array", "items": .object(valueSchema(item, attribute, partial: false))]
        case .object(let fields):
            return objectSchema(fields, partial: partial)
        }
    }

    static func integerSchema(_ attribute: AttributeSchema) -> SchemaJSON {
        var schema: [String: SchemaJSON] = ["type": "integer"]
        if let minimum = attribute.minimum { schema["minimum"] = .integer(minimum) }
        if let maximum = attribute.maximum { schema["maximum"] = .integer(maximum) }
        return .object(schema)
    }

    /// The catalog's patterns must match in full; JSON Schema's `pattern` searches.
    static func anchored(_ regex: String) -> String {
        regex.hasPrefix("^") && regex.hasSuffix("$") ? regex : "^(?:\(regex))$"
    }

    // MARK: Examples

    /// The attribute's example as a value of its type. The catalog writes examples as YAML; one that does
    /// not read as its type (say, a string YAML would take for a mapping) is taken as literal text.
    static func exampleValue(_ attribute: AttributeSchema) -> SchemaJSON? {
        guard let text = attribute.example else { return nil }
        if let node = try? Yams.compose(yaml: text), let value = value(of: node, as: attribute.type) { return value }
        return isText(attribute.type) ? .string(text) : nil
    }

    /// Written as a string in the manifest.
    static func isText(_ type: AttributeType) -> Bool {
        switch type {
        case .string, .url, .endpoint, .reference, .enumeration: return true
        case .integer, .boolean, .integerOrKeyword, .list, .object: return false
        }
    }

    static func capitalizedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    static func value(of node: Node, as type: AttributeType) -> SchemaJSON? {
        switch type {
        case .list(let item):
            guard case .sequence(let items) = node else { return nil }
            let values = items.compactMap { value(of: $0, as: item) }
            return values.count == items.count ? .array(values) : nil
        case .object(let fields):
            guard case .mapping(let mapping) = node else { return nil }
            var object: [String: SchemaJSON] = [:]
            for (key, child) in mapping {
                guard let name = key.string, let field = fields.first(where: { $0.name == name }),
                      let converted = value(of: child, as: field.type) else { return nil }
                object[name] = converted
            }
            return .object(object)
        default:
            break
        }
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else { return nil }
        let text = scalar.string
        let interpolated = text.contains("${env:") || text.contains("${file:")
        switch type {
        case .integer:
            if let number = Int(text) { return .integer(number) }
        case .integerOrKeyword(let words):
            if let number = Int(text) { return .integer(number) }
            if words.contains(text) { return .string(text) }
        case .boolean:
            if let flag = Bool(text) { return .boolean(flag) }
        case .enumeration(let values):
            if values.contains(text) { return .string(text) }
        default:
            return .string(text)
        }
        return interpolated ? .string(text) : nil
    }
}


/// A JSON value that renders the same way every time: object keys sorted, two-space indent.
indirect enum SchemaJSON: Equatable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case null
    case array([SchemaJSON])
    case object([String: SchemaJSON])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .boolean(value) }
    init(arrayLiteral elements: SchemaJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, SchemaJSON)...) {
        self = .object(Dictionary(elements) { _, last in last })
    }

    /// A manifest value; a secret is never a default or an example, so it becomes a placeholder.
    init(_ value: PlanModel.Value) {
        switch value {
        case .string(let text): self = .string(text)
        case .integer(let number): self = .integer(number)
        case .boolean(let flag): self = .boolean(flag)
        case .sensitive: self = .string("(sensitive)")
        case .list(let items): self = .array(items.map(SchemaJSON.init))
        case .object(let fields): self = .object(fields.mapValues(SchemaJSON.init))
        }
    }

    func rendered(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .string(let text): return Self.quoted(text)
        case .integer(let number): return String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            return "{\n" + fields.keys.sorted().map { inner + Self.quoted($0) + ": " + fields[$0]!.rendered(indent: inner) }
                .joined(separator: ",\n") + "\n" + indent + "}"
        }
    }

    /// A JSON string literal; also a valid YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}

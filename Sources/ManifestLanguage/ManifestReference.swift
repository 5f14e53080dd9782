import PlanModel

/// The manifest reference, `docs/manifest-reference.md`, generated from `ProviderCatalog`.
public enum ManifestReference {
    /// The reference as Markdown.
    public static func markdown(catalog: ProviderCatalog) -> String {
        var out: [String] = []
        out += introduction(catalog)
        out += ["## Providers", ""]
        out += ["| type | bank | resource kinds |", "|---|---|---|"]
        for provider in catalog.types {
            let kinds = provider.kinds.map { "`\($0.name)` (\($0.capability.rawValue))" }.joined(separator: ", ")
            out.append("| [`\(provider.type)`](#\(anchor(provider))) | \(provider.displayName) | \(kinds) |")
        }
        out.append("")
        for provider in catalog.types {
            out += section(provider)
        }
        return out.joined(separator: "\n")
    }

    /// Every complete manifest the reference shows, by name: the environments example and one per provider type.
    public static func examples(catalog: ProviderCatalog) -> [(name: String, yaml: String)] {
        [("environments", catalog.environmentsExample)] + catalog.types.map { ("\($0.type) example", exampleManifest(for: $0)) }
    }

    /// What the engine does with a kind of the capability, as the reference and the schema say it.
    static func meaning(of capability: Capability) -> String {
        switch capability {
        case .managed: return "managed: the API creates, reads and changes it"
        case .observed: return "observed: a person creates it; plan checks that it exists"
        case .manual: return "manual: only a person can set it up (portal, e-mail); plan shows the steps and `provision confirm ADDRESS` records them"
        case .interactive: return "interactive: the API starts it and a person finishes it in a browser"
        }
    }

    // MARK: Fixed part


    static func introduction(_ catalog: ProviderCatalog) -> [String] {
        let types = catalog.types.map { "`\($0.type)`" }.joined(separator: ", ")
        let capabilities: [Capability] = [.managed, .observed, .manual, .interactive]
        return [
            "# Manifest reference",
            "",
            "<!-- Generated from the provider catalog (Sources/Banks/*/*Schema.swift) by ManifestReference.markdown().",
            "     Do not edit by hand; regenerate with: PROVISION_RECORD_GOLDEN=1 swift test --filter ManifestSchemaTests -->",
            "",
            "A manifest is one YAML file, or a folder of `*.yaml`/`*.yml` files read as one: their top-level",
            "mappings merge, so each provider and section can live in its own file, but a name may be defined",
            "only once. `provision validate` checks it without contacting any bank and reports every problem at",
            "once.",
            "",
            "## Editor support",
            "",
            "`provision schema` prints a JSON Schema (draft 2020-12) of the manifest, generated from the same",
            "catalog as this page. Editors that use yaml-language-server (VS Code's YAML extension, Neovim,",
            "Helix, JetBrains IDEs) then complete keys, show the descriptions below and flag mistakes as you type:",
            "",
            "```sh",
            "provision schema --output manifest.schema.json",
            "```",
            "",
            "```yaml",
            "# yaml-language-server: $schema=./manifest.schema.json",
            "version: 1",
            "```",
            "",
            "The schema reads each file as a whole manifest (with `version` and `providers`); in a manifest split",
            "over several files, add the comment to the file that holds them. It checks shapes, types, enums,",
            "ranges and patterns. It cannot check what needs values compared or resolved: that a section names",
            "a declared provider of its type, that a reference names an existing entry, the production rules, or",
            "what `${env:}` and `${file:}` resolve to. `provision validate` checks all of it.",
            "",
            "## Top-level keys",
            "",
            "| key | required | value |",
            "|---|---|---|",
            "| `version` | yes | `1`, the manifest format version |",
            "| `providers` | yes | provider instances by name; each has a `type` (\(types)) and that type's settings |",
            "| `environments` | no | named sets of overrides, see [Environments](#environments) |",
            "| `backend` | no | where the state is kept: the local folder (default) or PostgreSQL, see [State backend](#state-backend) |",
            "| `moved` | no | renamed resources, a list of `{ from: OLD.ADDRESS, to: NEW.ADDRESS }`: apply moves their state, calling no bank ([refactoring](refactoring.md)) |",
            "| *instance name* | no | the section of the provider instance of that name: its resource kinds |",
            "",
            "Names of provider instances, environments and entries start with a letter or digit and hold only",
            "ASCII letters, digits, `_` and `-`.",
            "",
            "A section holds the resource kinds its provider's type offers. A **collection** kind is a mapping of",
            "entry names to attributes; a **singleton** kind holds its attributes directly. Resources are",
            "addressed `INSTANCE.KIND.NAME` (a singleton: `INSTANCE.KIND`), e.g. `bank.accounts.payroll`.",
            "Every kind has a capability, which says how the engine reaches it:",
            "",
            "| capability | meaning |",
            "|---|---|",
        ] + capabilities.map { capability in
            let text = meaning(of: capability)
            let detail = text.drop { $0 != ":" }.dropFirst(2)
            return "| `\(capability.rawValue)` | \(detail) |"
        } + [
            "",
            "## Values",
            "",
            "- `${env:NAME}` is the value of environment variable `NAME`. For the commands that contact a bank (`plan`,",
            "  `apply`, `drift`, `check`, `import`, `consent`), `confirm` of a manual step and `validate --strict`, it is an",
            "  error when `NAME` is not set. `validate`, `graph` and `confirm gate.NAME` need no credentials: an unset",
            "  variable is a note (`note: ${env:NAME} is unset, used by ...; plan, apply, drift and check need it in",
            "  environment production`) and the value is left out until a command that needs it runs.",
            "- `${env:NAME:-default}` is the variable's value, or `default` when it is not set.",
            "- `${file:PATH}` is the contents of a file, without one trailing newline; `PATH` is relative to the",
            "  manifest file's folder and must stay inside the manifest's root (the git repository that holds it, or",
            "  its folder): an absolute path, a `..` or a symbolic link that leads outside, a path into `.git` or to",
            "  the secrets kept under `.provision`, a device, pipe or folder, and a file over 1 MB are refused, the error",
            "  naming the rule. A file that is not there (a key kept out of git) is an error where `${env:}` would be, and",
            "  a note for `validate`, `graph` and `confirm gate.NAME`, as an unset variable is.",
            "- These can appear anywhere in a string, several times (`https://${env:HOOK_HOST}/hooks`), and are",
            "  resolved when the manifest is loaded, before values are checked. An integer or boolean attribute",
            "  takes a string that resolves to one: `active: ${env:WEBHOOK_ACTIVE:-true}`.",
            "- A text value read from a variable or a file is sent to the bank as it resolves, but every output",
            "  (plan, validate, errors, drift, import) shows it as written (`${env:NAME}`), and state does not record",
            "  it, as for a secret. A default written in the manifest (`:-default`) is shown as itself.",
            "- `$${` is a literal `${`: `name: \"costs $${x}\"` is the text `costs ${x}`. `provision import` writes",
            "  every `${` it finds in a bank's text this way, so a bank's names are never read as a variable.",
            "- An attribute written without a value (`key:` or `key: null`) counts as left out: its default",
            "  applies, and a required one is reported missing. An empty string is an error.",
            "- Quote strings that YAML would read as something else: account numbers (`\"0933450210\"`), `\"on\"`",
            "  and `\"off\"`, `\"yes\"` and `\"no\"`, cron expressions (`\"0 0 * * *\"`). The schema expects them quoted.",
            "- **sensitive** attributes never print, not one character (a plan shows `(sensitive)`, and for a secret it",
            "  sets, `(sensitive, fingerprint 3f9a12c4e07b)`: a keyed fingerprint that changes with the secret) and are",
            "  never written to state. Keep their values out of the file with `${env:}` or `${file:}`: one written as",
            "  plain text is a warning, and an error in a production environment.",
            "- **immutable** attributes cannot change in place: a change plans a replacement (`-/+`).",
            "- **computed** attributes are read back from the bank; writing them in the manifest is an error.",
            "",
            "| type | written as |",
            "|---|---|",
            "| string | a non-empty string |",
            "| integer | a YAML integer, or a string that resolves to one |",
            "| boolean | `true` or `false`, or a string that resolves to one |",
            "| http(s) URL | an absolute `http://` or `https://` URL with a host and no spaces; `https://` only in a production environment |",
            "| `sandbox` or http(s) URL | `sandbox` runs the bank's simulator inside the process; otherwise the API's base URL |",
            "| name of an entry in `KIND` | the name of an entry of that kind in the same section |",
            "| one of ... | exactly one of the listed strings |",
            "| list of ... | a YAML sequence, e.g. `[a, b]` |",
            "| mapping | the keys listed after it, e.g. `{ key: value }` |",
            "",
            "## Environments",
            "",
            "`environments:` names variants of the manifest. `--env NAME` (on `validate`, `plan`, `apply` and",
            "`confirm`) lays that environment over the files: its `providers` and sections merge into the",
            "top-level ones key by key (mappings merge, any other value replaces), so an override holds only what",
            "changes and nothing in it is required. Each environment keeps its own state. Without `--env`,",
            "`provision validate` checks the manifest as every environment sees it.",
            "",
            "| key | value |",
            "|---|---|",
            "| `production` | `true` for a production environment (default `false`) |",
            "| `providers` | settings to override, by provider instance name |",
            "| `gates` | named steps of the journey, in order: `NAME: instructions`, or `NAME: { instructions: TEXT, owner: TEXT }`; apply in the environment refuses until each is confirmed (`provision confirm gate.NAME --env NAME`) |",
            "| `promotes_from` | another environment whose last apply must have converged with the same definitions first |",
            "| *instance name* | resources to override or add in that provider's section |",
            "",
            "In an environment with `production: true`:",
            "",
            "- every provider's `endpoint` must be an `https://` URL; `endpoint: sandbox` is refused;",
            "- every URL attribute (webhook, callback and redirect URLs) must be `https://`;",
            "- a provider setting's or a sensitive attribute's `${env:NAME:-default}` is an error while `NAME` is unset",
            "  (even for `validate` without `--strict`): the default is not used, so a placeholder or a sandbox secret",
            "  never reaches a bank. Set `NAME`; remove the `:-default`, or move the default to a non-production environment;",
            "- a sensitive attribute or setting written as plain text is an error.",
            "",
            "An environment with nothing to override is written `staging: {}` or `staging:`.",
            "",
            "```yaml",
        ] + catalog.environmentsExample.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) + [
            "```",
            "",
        ] + backendSection()
    }

    /// The `backend:` section: its keys and an example.
    static func backendSection() -> [String] {
        [
            "## State backend",
            "",
            "Without `backend:`, state is a folder beside the manifest (`.provision/`, or `--state DIR`). A team whose",
            "CI runners and engineers apply the same manifest keeps it in PostgreSQL instead, one state per `name`",
            "and environment, with every saved version kept and a lock that the server releases when its holder's",
            "session ends. `--state postgres://...` chooses the database from the command line. The journal and",
            "the secrets a run keeps stay in the local folder. See [state](state.md).",
            "",
        ] + table(rows(BackendConfig.attributes, prefix: "")) + [
            "```yaml",
            "backend:",
            "  type: postgres",
            "  url: ${env:PROVISION_PG_URL}    # postgres://USER:PASSWORD@HOST:5432/DATABASE; never printed",
            "  schema: provision",
            "  name: payments-bank-setup",
            "```",
            "",
        ]
    }

    // MARK: Per provider

    static func anchor(_ provider: ProviderTypeSchema) -> String {
        let heading = "\(provider.displayName) (\(provider.type))".lowercased()
        return String(heading.compactMap { character -> Character? in
            if character == " " { return "-" }
            if character.isLetter || character.isNumber || character == "-" || character == "_" { return character }
            return nil
        })
    }

    static func section(_ provider: ProviderTypeSchema) -> [String] {
        var out = [
            "### \(provider.displayName) (`\(provider.type)`)",
            "",
            "#### Settings",
            "",
            "Under `providers.NAME`, with `type: \(provider.type)`.",
            "",
        ]
        out += table([row("`type`", "`\(provider.type)`", "yes", "", "", "the provider type")] + rows(provider.settings, prefix: ""))
        for kind in provider.kinds {
            let shape = kind.isSingleton
                ? "Singleton: its attributes sit directly under `\(kind.name)`; address `INSTANCE.\(kind.name)`."
                : "Collection: a mapping of entry names to attributes; address `INSTANCE.\(kind.name).NAME`."
            out += [
                "#### `\(kind.name)`",
                "",
                ManifestSchema.sentence(ManifestSchema.capitalizedFirst(kind.summary)),
                "",
                "*\(meaning(of: kind.capability))*. \(shape)",
            ]
            if !kind.naturalKey.isEmpty {
                let keys = kind.naturalKey.map { "`\($0)`" }.joined(separator: " + ")
                out += ["", "Matched at the bank by \(keys) (ignoring case and runs of spaces); two entries may not share it."]
            }
            out += ["", kind.deletable
                ? "When an entry leaves the manifest, `--allow-delete` deletes it through the API."
                : "The bank has no API to delete one: when an entry leaves the manifest, `--allow-delete` drops it from state and the plan says how to remove it by hand."]
            out.append("")
            out += table(rows(kind.attributes + [.protect, .owner], prefix: ""))
        }
        out += [
            "#### Example",
            "",
            "```yaml",
        ] + exampleManifest(for: provider).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) + [
            "```",
            "",
        ]
        return out
    }

    static func table(_ rows: [String]) -> [String] {
        ["| key | type | required | default | flags | description |", "|---|---|---|---|---|---|"] + rows + [""]
    }

    static func row(_ cells: String...) -> String {
        "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
            .joined(separator: " | ") + " |"
    }

    /// A row per attribute, followed by rows for the fields of its mappings (`key.field`, `key[].field`).
    static func rows(_ attributes: [AttributeSchema], prefix: String) -> [String] {
        var out: [String] = []
        for attribute in attributes {
            let key = prefix + attribute.name
            let required = attribute.presence == .computed ? "—" : (attribute.presence == .required ? "yes" : "no")
            let fallback = attribute.defaultValue.map { "`" + yaml(SchemaJSON($0), attribute.type, flow: true) + "`" } ?? ""
            var flags: [String] = []
            if attribute.presence == .computed { flags.append("computed") }
            if attribute.sensitive { flags.append("sensitive") }
            if attribute.immutable { flags.append("immutable") }
            out.append(row("`\(key)`", typeText(attribute.type, attribute), required, fallback, flags.joined(separator: ", "), attribute.summary))
            switch attribute.type {
            case .object(let fields): out += rows(fields, prefix: key + ".")
            case .list(.object(let fields)): out += rows(fields, prefix: key + "[].")
            default: break
            }
        }
        return out
    }

    static func typeText(_ type: AttributeType, _ attribute: AttributeSchema) -> String {
        switch type {
        case .string:
            var text = "string"
            if let maximum = attribute.maximum { text += ", at most \(maximum) characters" }
            if let pattern = attribute.pattern { text += " matching `\(pattern.regex)` (\(pattern.meaning))" }
            return text
        case .integer: return "integer" + range(attribute)
        case .boolean: return "boolean"
        case .url: return "http(s) URL"
        case .endpoint: return "`sandbox` or http(s) URL"
        case .reference(let kind): return "name of an entry in `\(kind)`"
        case .enumeration(let values): return "one of " + values.map { "`\($0)`" }.joined(separator: ", ")
        case .integerOrKeyword(let words): return "integer" + range(attribute) + " or " + words.map { "`\($0)`" }.joined(separator: " or ")
        case .list(let item):
            switch item {
            case .string: return "list of strings"
            case .integer: return "list of integers"
            case .boolean: return "list of booleans"
            case .url: return "list of http(s) URLs"
            case .enumeration(let values): return "list of values from " + values.map { "`\($0)`" }.joined(separator: ", ")
            case .object: return "list of mappings"
            default: return "list of: " + typeText(item, attribute)
            }
        case .object: return "mapping"
        }
    }

    static func range(_ attribute: AttributeSchema) -> String {
        switch (attribute.minimum, attribute.maximum) {
        case let (low?, high?): return " from \(low) to \(high)"
        case let (low?, nil): return " ≥ \(low)"
        case let (nil, high?): return " ≤ \(high)"
        case (nil, nil): return ""
        }
    }

    // MARK: Example manifests

    /// The instance name the examples give a provider type: the type's first word (`acme-bank` → `acme`).
    static func instanceName(_ provider: ProviderTypeSchema) -> String {
        String(provider.type.split(separator: "-").first ?? Substring(provider.type))
    }

    /// A complete manifest using every example of the provider type; required attributes without one get a placeholder.
    public static func exampleManifest(for provider: ProviderTypeSchema) -> String {
        let instance = instanceName(provider)
        var lines = ["version: 1", "providers:", "  \(instance):", "    type: \(provider.type)"]
        for attribute in provider.settings {
            guard let value = example(attribute, provider: provider, instance: instance, setting: true) else { continue }
            lines.append("    \(attribute.name): " + yaml(value, attribute.type, flow: false))
        }
        lines += ["", "\(instance):"]
        for kind in provider.kinds {
            let attributes = kind.attributes.compactMap { attribute in
                example(attribute, provider: provider, instance: instance, setting: false).map { (attribute, $0) }
            }
            let body = attributes.map { "\($0.0.name): " + yaml($0.1, $0.0.type, flow: false) }
            let comment = "# \(kind.capability.rawValue)"
            if kind.isSingleton {
                lines.append(commented("  \(kind.name):" + (body.isEmpty ? " {}" : ""), comment))
                lines += body.map { "    " + $0 }
            } else {
                lines.append(commented("  \(kind.name):", comment))
                let name = entryName(kind, in: provider)
                lines.append("    \(name):" + (body.isEmpty ? " {}" : ""))
                lines += body.map { "      " + $0 }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func commented(_ line: String, _ comment: String) -> String {
        line + String(repeating: " ", count: max(1, 30 - line.count)) + comment
    }

    /// The entry name other kinds' examples refer to, or `main`.
    static func entryName(_ kind: ResourceKindSchema, in provider: ProviderTypeSchema) -> String {
        for other in provider.kinds {
            for attribute in other.attributes {
                if case .reference(let target) = attribute.type, target == kind.name,
                   case .string(let name)? = ManifestSchema.exampleValue(attribute) {
                    return name
                }
            }
        }
        return "main"
    }

    static func example(_ attribute: AttributeSchema, provider: ProviderTypeSchema, instance: String, setting: Bool) -> SchemaJSON? {
        guard attribute.presence != .computed else { return nil }
        if let value = ManifestSchema.exampleValue(attribute) { return value }
        switch attribute.type {
        case .object(let fields):
            let object = fields.reduce(into: [String: SchemaJSON]()) { object, field in
                object[field.name] = example(field, provider: provider, instance: instance, setting: setting)
            }
            if !object.isEmpty { return .object(object) }
        case .list(.object(let fields)):
            let object = fields.reduce(into: [String: SchemaJSON]()) { object, field in
                object[field.name] = example(field, provider: provider, instance: instance, setting: setting)
            }
            if !object.isEmpty { return .array([.object(object)]) }
        default:
            break
        }
        guard attribute.presence == .required else { return nil }
        return placeholder(attribute.type, attribute, provider: provider, instance: instance, setting: setting)
    }

    static func placeholder(_ type: AttributeType, _ attribute: AttributeSchema, provider: ProviderTypeSchema, instance: String, setting: Bool) -> SchemaJSON {
        switch type {
        case .string:
            if setting || attribute.sensitive {
                return .string("${env:\(instance.uppercased())_\(attribute.name.uppercased())}")
            }
            return .string("<\(attribute.name)>")
        case .url: return .string("https://hooks.example.com/\(instance)")
        case .endpoint: return "sandbox"
        case .reference(let kind):
            guard let target = provider.kind(kind) else { return "main" }
            return .string(entryName(target, in: provider))
        case .enumeration(let values): return .string(values.first ?? "")
        case .integer: return .integer(attribute.minimum ?? 1)
        case .integerOrKeyword: return .integer(attribute.minimum ?? 0)
        case .boolean: return false
        case .list(let item): return .array([placeholder(item, attribute, provider: provider, instance: instance, setting: setting)])
        case .object(let fields):
            return .object(fields.filter { $0.presence == .required }.reduce(into: [String: SchemaJSON]()) { object, field in
                object[field.name] = placeholder(field.type, field, provider: provider, instance: instance, setting: setting)
            })
        }
    }

    // MARK: YAML

    /// A value as YAML: scalars plain when YAML reads them back as the same string, lists and mappings in
    /// flow style with mapping keys in the catalog's order.
    static func yaml(_ value: SchemaJSON, _ type: AttributeType, flow: Bool) -> String {
        switch value {
        case .string(let text): return needsQuotes(text, flow: flow) ? SchemaJSON.quoted(text) : text
        case .integer(let number): return String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            let itemType: AttributeType
            if case .list(let item) = type { itemType = item } else { itemType = type }
            return "[" + items.map { yaml($0, itemType, flow: true) }.joined(separator: ", ") + "]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            var names = fields.keys.sorted()
            var fieldTypes: [String: AttributeType] = [:]
            if case .object(let schema) = type {
                names = schema.map(\.name).filter { fields[$0] != nil } + names.filter { name in !schema.contains { $0.name == name } }
                for field in schema { fieldTypes[field.name] = field.type }
            }
            return "{ " + names.map { "\($0): " + yaml(fields[$0]!, fieldTypes[$0] ?? .string, flow: true) }.joined(separator: ", ") + " }"
        }
    }

    /// True when a plain scalar would not read back as this string in YAML 1.1 or 1.2.
    static func needsQuotes(_ text: String, flow: Bool) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        if first == " " || last == " " || text.contains(where: { $0.isNewline || $0 == "\t" }) { return true }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.isNumber || first == "+" || first == "." { return true }
        if ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"].contains(text.lowercased()) { return true }
        if text.contains(": ") || text.contains(" #") || last == ":" { return true }
        if flow && text.contains(where: { ",[]{}".contains($0) }) { return true }
        return false
    }
}

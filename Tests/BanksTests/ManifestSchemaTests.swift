import Banks
import Reconciler
import Foundation
import PlanModel
import Testing
import _CryptoExtras
import ManifestLanguage

/// The generated JSON Schema and manifest reference: the schema is checked with Python's `jsonschema`
/// (Draft202012Validator) against every example manifest, the reference's examples and inline manifests,
/// which `ManifestParser` must judge the same way.
struct ManifestSchemaTests {
    /// A manifest the schema and the parser must both accept, or both reject.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The texts of its files, merged as one manifest.
        var files: [String]
        /// nil: accepted; otherwise the schema must reject it with an error holding this text.
        var rejectedBecause: String?

        var testDescription: String { name }

        static func valid(_ name: String, _ text: String) -> Case { Case(name: name, files: [text]) }
        static func invalid(_ name: String, _ reason: String, _ text: String) -> Case {
            Case(name: name, files: [text], rejectedBecause: reason)
        }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    // MARK: Documents

    /// Every folder under examples/ (and any manifest file directly in it) is one manifest; read once.
    /// `examples/ci` holds CI pipelines, not manifests.
    static let exampleCases: [Case] = {
        let folder = packageRoot.appendingPathComponent("examples")
        let manager = FileManager.default
        let isManifest = { (name: String) in name.hasSuffix(".yaml") || name.hasSuffix(".yml") }
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        var cases: [Case] = []
        for name in ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name != "ci" {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                let files = ((try? manager.contentsOfDirectory(atPath: url.path)) ?? []).filter(isManifest).sorted()
                if !files.isEmpty {
                    cases.append(Case(name: "examples/\(name)", files: files.map { read(url.appendingPathComponent($0)) }))
                }
            } else if isManifest(name) {
                cases.append(Case(name: "examples/\(name)", files: [read(url)]))
            }
        }
        return cases
    }()

    static var referenceCases: [Case] {
        ManifestReference.examples(catalog: BankRegistry.all.catalog).map { Case(name: "reference: \($0.name)", files: [$0.yaml]) }
    }

    static let finan = """
        version: 1
        providers:
          finan:
            type: finan-one
            endpoint: sandbox
            client_id: abc
            secret_key: ${env:FINAN_SECRET_KEY:-s3cret}

        """

    static let sepay = """
        version: 1
        providers:
          sepay:
            type: sepay-bankhub
            endpoint: https://bankhub-api-sandbox.sepay.vn
            client_id: abc
            client_secret: ${env:SEPAY_SECRET:-s3cret}

        """

    static let validCases: [Case] = [
        .valid("interpolations in integer, boolean, enum, URL and constrained string attributes", """
            version: 1
            providers:
              sepay:
                type: sepay-bankhub
                endpoint: ${env:SEPAY_ENDPOINT:-sandbox}
                client_id: ${env:SEPAY_CLIENT_ID:-id}
                client_secret: ${file:secret.txt}
            sepay:
              companies:
                acme:
                  full_name: ${env:COMPANY_NAME:-ACME Trading JSC}
                  status: ${env:COMPANY_STATUS:-Pending}
                  configuration:
                    payment_code: "off"
                    payment_code_prefix: ${env:PREFIX:-DH}
                    payment_code_suffix_from: ${env:SUFFIX_FROM:-4}
                    payment_code_suffix_to: 30
                    transaction_amount: 0
              webhook:
                url: https://${env:HOOK_HOST:-hooks.example.com}/bankhub
                secret: ${env:HOOK_SECRET:-s}
                active: ${env:HOOK_ACTIVE:-false}
                allow_events: ["*"]
              merchant_config:
                transaction_whitelist_remark_keywords: []
              bank_links:
                acme-main: { company: acme, is_mobile_app: true }
            """),
        .valid("environments: an empty one, partial provider and section overrides, an added entry", finan + """
            finan:
              master_accounts:
                main: { account_number: "0933450210" }
              webhook: { url: http://127.0.0.1:9000/finan }
            environments:
              dev:
              prod:
                production: true
                providers:
                  finan: { endpoint: https://api.finan.one/open, secret_key: "${env:FINAN_SECRET_KEY}" }
                finan:
                  master_accounts:
                    main: { account_number: "1AM002110000121" }
                  bank_accounts:
                    payroll: { master: main, account_name: LUONG }
                  webhook: { url: https://hooks.example.com/finan }
            """),
        .valid("backend: postgres with its url from the environment, a schema and a name; an environment's own schema", finan + """
            backend:
              type: postgres
              url: ${env:PROVISION_PG_URL:-postgres://ci@db.example.com:5432/provision?sslmode=require}
              schema: bank_setup
              name: payments-bank-setup
            environments:
              staging: { backend: { schema: bank_setup_staging } }
            """),
        .valid("backend: local", finan + """
            backend: { type: local }
            """),
        .valid("lists of mappings and ${file:} secrets", """
            version: 1
            providers:
              vtb:
                type: vietinbank-iconnect
                endpoint: sandbox
                client_id: id
                client_secret: ${env:VTB_SECRET:-s}
                provider_id: ${env:VTB_PROVIDER_ID:-ACME}
                private_key: ${file:keys/vtb.pem}
            vtb:
              applications:
                erp:
                  name: acme-erp
                  subscriptions:
                    - { api: erp-statement, plan: Default, rate_limit: 5/second }
                    - api: erp-transfer
                      plan: Default
              consents:
                team: { application: erp }
              statement_push:
                main: { account: "108000123456", notify_type: FILE, cron: "0 0 * * *" }
            """),
    ]

    static let invalidCases: [Case] = [
        .invalid("unknown attribute", "'nickname' was unexpected", finan + """
            finan:
              master_accounts:
                main: { account_number: "0933450210", nickname: ops }
            """),
        .invalid("computed attribute written", "'account_id' was unexpected", finan + """
            finan:
              master_accounts:
                main: { account_number: "0933450210", account_id: m1 }
            """),
        .invalid("unknown provider setting", "'region' was unexpected", finan.replacingOccurrences(of: "client_id: abc", with: "client_id: abc\n    region: hn")),
        .invalid("unknown resource kind", "'accounts' was unexpected", finan + """
            finan:
              accounts:
                main: { account_number: "0933450210" }
            """),
        .invalid("top-level key that is not a section", "$.extra: 5 is not of type 'object'", finan + "extra: 5\n"),
        .invalid("unknown provider type", "'finan-two' is not one of", finan.replacingOccurrences(of: "type: finan-one", with: "type: finan-two")),
        .invalid("missing required attribute", "'account_name' is a required property", finan + """
            finan:
              master_accounts:
                main: { account_number: "0933450210" }
              bank_accounts:
                accounting: { master: main }
            """),
        .invalid("missing required setting", "'secret_key' is a required property", finan.replacingOccurrences(of: "    secret_key: ${env:FINAN_SECRET_KEY:-s3cret}\n", with: "")),
        .invalid("missing version", "'version' is a required property", String(finan.dropFirst("version: 1\n".count))),
        .invalid("unsupported version", "1 was expected", finan.replacingOccurrences(of: "version: 1", with: "version: 2")),
        .invalid("bad enum value", "'Closed' is not one of ['Active', 'Pending']", sepay + """
            sepay:
              companies:
                acme: { full_name: ACME, status: Closed }
            """),
        .invalid("bad enum value in a list", "'EVERYTHING' is not one of", sepay + """
            sepay:
              webhook: { url: https://hooks.example.com/bankhub, secret: s, allow_events: [EVERYTHING] }
            """),
        .invalid("wrong type: boolean", "'maybe' is not of type 'boolean'", sepay + """
            sepay:
              webhook: { url: https://hooks.example.com/bankhub, secret: s, active: maybe }
            """),
        .invalid("wrong type: integer", "'$(SUFFIX)' is not of type 'integer'", sepay + """
            sepay:
              companies:
                acme: { full_name: ACME, configuration: { payment_code_suffix_from: $(SUFFIX) } }
            """),
        .invalid("wrong type: list", "'*' is not of type 'array'", sepay + """
            sepay:
              webhook: { url: https://hooks.example.com/bankhub, secret: s, allow_events: "*" }
            """),
        .invalid("wrong type: entry that is not a mapping", "'0933450210' is not of type 'object'", finan + """
            finan:
              master_accounts:
                main: "0933450210"
            """),
        .invalid("integer above its maximum", "31 is greater than the maximum of 30", sepay + """
            sepay:
              companies:
                acme: { full_name: ACME, configuration: { payment_code_suffix_from: 31 } }
            """),
        .invalid("integer below its minimum", "-1 is less than the minimum of 0", sepay + """
            sepay:
              companies:
                acme: { full_name: ACME, configuration: { transaction_amount: -1 } }
            """),
        .invalid("keyword that is not allowed", "'Limited' is not one of ['Unlimited']", sepay + """
            sepay:
              companies:
                acme: { full_name: ACME, configuration: { transaction_amount: Limited } }
            """),
        .invalid("string longer than its maximum", "is too long", sepay + """
            sepay:
              companies:
                acme: { full_name: \(String(repeating: "A", count: 201)) }
            """),
        .invalid("empty string", "$.finan.bank_accounts.accounting.account_name: '' should be non-empty", finan + """
            finan:
              master_accounts:
                main: { account_number: "0933450210" }
              bank_accounts:
                accounting: { master: main, account_name: "" }
            """),
        .invalid("pattern mismatch", "'D1' does not match '^[A-Za-z]{2,5}$'", sepay + """
            sepay:
              companies:
                acme: { full_name: ACME, configuration: { payment_code_prefix: D1 } }
            """),
        .invalid("pattern mismatch in a list of mappings", "'100/week' does not match", """
            version: 1
            providers:
              vtb: { type: vietinbank-iconnect, endpoint: sandbox, client_id: id, client_secret: s }
            vtb:
              applications:
                erp: { name: acme-erp, subscriptions: [{ api: erp-statement, plan: Default, rate_limit: 100/week }] }
            """),
        .invalid("URL without a scheme", "'hooks.example.com/finan' does not match '^https?://", finan + """
            finan:
              webhook: { url: hooks.example.com/finan }
            """),
        .invalid("endpoint neither sandbox nor an http(s) URL", "'ftp://api.finan.one' does not match '^https?://", finan.replacingOccurrences(of: "endpoint: sandbox", with: "endpoint: ftp://api.finan.one")),
        .invalid("entry name with a space", "'bad name' does not match '^[A-Za-z0-9][A-Za-z0-9_-]*$'", finan + """
            finan:
              master_accounts:
                bad name: { account_number: "0933450210" }
            """),
        .invalid("environment: production that is not a boolean", "$.environments.prod.production: 'yes' is not of type 'boolean'", finan + """
            environments:
              prod: { production: "yes" }
            """),
        .invalid("environment: unknown provider setting", "'region' was unexpected", finan + """
            environments:
              prod:
                providers:
                  finan: { region: hn }
            """),
        .invalid("environment: unknown resource kind", "'accounts' was unexpected", finan + """
            environments:
              prod:
                finan:
                  accounts: { main: { account_number: "1" } }
            """),
        .invalid("backend: postgres without a url", "'url' is a required property", finan + """
            backend: { type: postgres }
            """),
        .invalid("backend: an unknown key", "'host' was unexpected", finan + """
            backend: { type: postgres, url: "postgres://ci@db.example.com/provision", host: db }
            """),
        .invalid("backend: a url that is not postgres://", "does not match '^postgres(ql)?://", finan + """
            backend: { type: postgres, url: "mysql://ci@db.example.com/provision" }
            """),
        .invalid("backend: a schema with upper-case letters", "'Ops' does not match '^[a-z_]", finan + """
            backend: { type: postgres, url: "postgres://ci@db.example.com/provision", schema: Ops }
            """),
    ]

    static var allCases: [Case] { exampleCases + referenceCases + validCases + invalidCases + fixtureCases }

    /// The invalid-manifest fixtures (Fixtures/invalid), each one manifest (a folder's files merged).
    static let fixtureCases: [Case] = {
        let folder = packageRoot.appendingPathComponent("Tests/BanksTests/Fixtures/invalid")
        let manager = FileManager.default
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        var cases: [Case] = []
        for name in ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where !name.hasSuffix(".expected") {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else { continue }
            let files = isFolder.boolValue
                ? ((try? manager.contentsOfDirectory(atPath: url.path)) ?? []).sorted().filter { $0.hasSuffix(".yaml") }.map { read(url.appendingPathComponent($0)) }
                : [read(url)]
            cases.append(Case(name: "fixture " + name.replacingOccurrences(of: ".yaml", with: ""), files: files, rejectedBecause: ""))
        }
        return cases
    }()

    /// Fixtures whose mistake needs values compared or resolved, which a JSON Schema cannot express:
    /// references, natural keys, duplicates across files, `${env:}`/`${file:}` values, the production rules,
    /// environment selection, section names (any name may hold any provider's kinds), and keys written twice
    /// (YAML parsers other than the tool's keep the last one).
    static let fixturesBeyondTheSchema: Set<String> = [
        "fixture 19-section-unknown",
        "fixture 48-env-variable-missing",
        "fixture 78-env-production-default-credential",
        "fixture 49-interpolation-malformed",
        "fixture 50-file-missing",
        "fixture 51-file-missing-in-folder",
        "fixture 52-reference-master",
        "fixture 53-reference-company",
        "fixture 54-reference-application",
        "fixture 55-reference-none-defined",
        "fixture 56-duplicate-key-resource",
        "fixture 57-duplicate-key-provider-setting",
        "fixture 58-duplicate-resource-across-files",
        "fixture 59-duplicate-provider-across-files",
        "fixture 60-duplicate-natural-key-finan",
        "fixture 61-duplicate-natural-key-icici",
        "fixture 62-duplicate-natural-key-sepay",
        "fixture 65-env-production-sandbox",
        "fixture 66-env-production-http-endpoint",
        "fixture 67-env-production-http-urls",
        "fixture 69-env-unknown",
        "fixture 70-env-unknown-none-declared",
        "fixture 71-env-required",
    ]

    // MARK: One Python run for every document

    struct Verdict: Decodable, Sendable {
        var name: String
        var valid: Bool
        var errors: [String]
    }

    struct Report: Decodable, Sendable {
        var schemaError: String?
        var verdicts: [Verdict]
    }

    static let install = "Install Python 3 and its jsonschema (4.x) and PyYAML modules: pip install jsonschema pyyaml"

    /// Loads each manifest's files as YAML 1.2 (as yaml-language-server does), merges them and validates the result.
    static let script = #"""
        import json, re, sys
        try:
            import yaml
            from jsonschema import Draft202012Validator
        except ImportError as error:
            sys.stderr.write(f"cannot import {error.name}\n")
            sys.exit(3)

        class Loader(yaml.SafeLoader):
            pass

        Loader.yaml_implicit_resolvers = {}
        def resolve(tag, regex, first):
            Loader.add_implicit_resolver("tag:yaml.org,2002:" + tag, re.compile(regex), list(first))
        resolve("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
        resolve("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
        resolve("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
        resolve("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789.")
        resolve("merge", r"^(?:<<)$", "<")
        def integer(loader, node):
            text = loader.construct_scalar(node)
            if text.startswith("0o"): return int(text[2:], 8)
            if text.startswith("0x"): return int(text[2:], 16)
            return int(text, 10)
        Loader.add_constructor("tag:yaml.org,2002:int", integer)

        def plain(value):
            if isinstance(value, dict): return {str(key): plain(item) for key, item in value.items()}
            if isinstance(value, list): return [plain(item) for item in value]
            return value

        def merge(into, adding):
            for key, value in adding.items():
                if isinstance(into.get(key), dict) and isinstance(value, dict): merge(into[key], value)
                else: into[key] = value

        def leaves(error):
            if error.context:
                return [text for child in error.context for text in leaves(child)]
            return [f"{error.json_path}: {error.message}"]

        schema = json.load(open(sys.argv[1], encoding="utf-8"))
        report = {"schemaError": None, "verdicts": []}
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as error:
            report["schemaError"] = str(error)
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for document in json.load(open(sys.argv[2], encoding="utf-8")):
            errors, data = [], None
            try:
                for text in document["files"]:
                    loaded = plain(yaml.load(text, Loader=Loader))
                    if data is None or not (isinstance(data, dict) and isinstance(loaded, dict)): data = loaded
                    else: merge(data, loaded)
                errors = sorted(set(text for error in validator.iter_errors(data) for text in leaves(error)))
            except yaml.YAMLError as error:
                errors = [f"YAML: {error}"]
            report["verdicts"].append({"name": document["name"], "valid": not errors, "errors": errors})
        json.dump(report, open(sys.argv[3], "w", encoding="utf-8"))
        """#

    struct PythonUnavailable: Error, CustomStringConvertible {
        var description: String
    }

    static let report: Result<Report, any Error> = Result { try validateWithPython(allCases) }

    static func validateWithPython(_ cases: [Case]) throws -> Report {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("provision-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let schema = folder.appendingPathComponent("schema.json")
        let documents = folder.appendingPathComponent("documents.json")
        let verdicts = folder.appendingPathComponent("verdicts.json")
        let errors = folder.appendingPathComponent("stderr.txt")
        try ManifestSchema.json(catalog: BankRegistry.all.catalog).write(to: schema, atomically: true, encoding: .utf8)
        let payload: [[String: Any]] = cases.map { ["name": $0.name, "files": $0.files] }
        try JSONSerialization.data(withJSONObject: payload).write(to: documents)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // `.ci/run` points PROVISION_PYTHON at a virtual environment holding jsonschema and PyYAML.
        let python = ProcessInfo.processInfo.environment["PROVISION_PYTHON"] ?? "python3"
        process.arguments = [python, "-c", script, schema.path, documents.path, verdicts.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errorHandle = try FileHandle(forWritingTo: errors)
        process.standardError = errorHandle
        do {
            try process.run()
        } catch {
            throw PythonUnavailable(description: "Cannot run python3 (\(error)). \(install)")
        }
        process.waitUntilExit()
        try? errorHandle.close()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0, let data = try? Data(contentsOf: verdicts) else {
            throw PythonUnavailable(description: "python3 failed (exit \(process.terminationStatus)): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines)). \(install)")
        }
        return try JSONDecoder().decode(Report.self, from: data)
    }

    /// The validator's verdict; nil when Python or its modules are missing, which one test alone reports.
    static func verdict(_ name: String) throws -> Verdict? {
        guard case .success(let report) = report else { return nil }
        let verdict: Verdict = try #require(report.verdicts.first { $0.name == name }, "no verdict for \(name)")
        return verdict
    }

    // MARK: The parser's view

    /// The parser's problems with the manifest, read as `provision validate` reads it: as written, and as each environment sees it.
    /// What a `${file:}` reads: a usable PEM key for `.pem` files (settings check keys), plain text otherwise.
    static func fileContents(_ path: String) -> String {
        guard path.hasSuffix(".pem"), let pem = try? vietinBankTestKeyPEM() else { return "file contents" }
        guard path.hasSuffix("-certificate.pem") else { return pem }
        return (try? _RSA.Signing.PrivateKey(pemRepresentation: pem).publicKey.pemRepresentation) ?? pem
    }

    static func parserProblems(_ manifest: Case) -> [String] {
        let text = manifest.files.joined(separator: "\n")
        var variables: [String: String] = [:]
        for match in text.matches(of: #/\$\{env:([A-Za-z0-9_]+)\}/#) {
            variables[String(match.1)] = "example"
        }
        let parser = ManifestParser(catalog: BankRegistry.all.catalog, environment: variables) { Self.fileContents($0) }
        let sources = manifest.files.enumerated().map { ManifestSource(path: "file\($0.offset).yaml", text: $0.element) }
        var problems: [String] = []
        for environment in [nil] + parser.declaredEnvironments(sources).map(Optional.some) {
            do {
                _ = try parser.parse(sources, environment: environment)
            } catch {
                problems += error.problems.map { "\(environment ?? "(no environment)"): \($0.description)" }
            }
        }
        return problems
    }

    // MARK: Tests

    @Test func schemaIsDeterministicDraft202012JSON() throws {
        let text = ManifestSchema.json(catalog: BankRegistry.all.catalog)
        #expect(text == ManifestSchema.json(catalog: BankRegistry.all.catalog))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect((object["$id"] as? String)?.hasPrefix("https://") == true)
        #expect(object["title"] is String && object["description"] is String)
        let definitions = try #require(object["$defs"] as? [String: Any])
        for provider in BankRegistry.all.catalog.types {
            #expect(definitions["provider.\(provider.type)"] != nil && definitions["section.\(provider.type)"] != nil)
        }
        guard case .success(let report) = Self.report else { return }
        #expect(report.schemaError == nil, "the schema is not a valid draft 2020-12 schema: \(report.schemaError ?? "")")
    }

    /// Every attribute of the catalog is in its kind's schema with a description, unless it is computed.
    @Test func everySettableAttributeIsDescribedAndComputedOnesAreLeftOut() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ManifestSchema.json(catalog: BankRegistry.all.catalog).utf8)) as? [String: Any])
        let definitions = try #require(object["$defs"] as? [String: [String: Any]])
        for provider in BankRegistry.all.catalog.types {
            for kind in provider.kinds {
                let schema = try #require(definitions["resource.\(provider.type).\(kind.name)"])
                let properties = try #require(schema["properties"] as? [String: [String: Any]])
                #expect(schema["additionalProperties"] as? Bool == false)
                for attribute in kind.attributes {
                    if attribute.presence == .computed {
                        #expect(properties[attribute.name] == nil, "\(provider.type).\(kind.name).\(attribute.name) is computed")
                    } else {
                        #expect(properties[attribute.name]?["description"] is String, "\(provider.type).\(kind.name).\(attribute.name)")
                    }
                }
                let required = Set(schema["required"] as? [String] ?? [])
                #expect(required == Set(kind.attributes.filter { $0.presence == .required }.map(\.name)))
            }
        }
    }

    @Test func theSchemaValidatorIsAvailable() throws {
        _ = try Self.report.get()
    }

    @Test func findsTheExamples() {
        #expect(Self.exampleCases.count >= 2)
    }

    @Test(arguments: ManifestSchemaTests.exampleCases)
    func acceptsExample(_ example: Case) throws {
        guard let verdict = try Self.verdict(example.name) else { return }
        #expect(verdict.valid, "the schema rejects \(example.name):\n\(verdict.errors.joined(separator: "\n"))")
    }

    @Test(arguments: ManifestSchemaTests.referenceCases + ManifestSchemaTests.validCases)
    func acceptsValidManifest(_ manifest: Case) throws {
        #expect(Self.parserProblems(manifest) == [], "the parser rejects \(manifest.name)")
        guard let verdict = try Self.verdict(manifest.name) else { return }
        #expect(verdict.valid, "the schema rejects \(manifest.name):\n\(verdict.errors.joined(separator: "\n"))")
    }

    @Test(arguments: ManifestSchemaTests.invalidCases)
    func rejectsInvalidManifest(_ manifest: Case) throws {
        #expect(!Self.parserProblems(manifest).isEmpty, "the parser accepts \(manifest.name)")
        guard let verdict = try Self.verdict(manifest.name) else { return }
        let reason = try #require(manifest.rejectedBecause)
        #expect(!verdict.valid, "the schema accepts \(manifest.name)")
        #expect(verdict.errors.contains { $0.contains(reason) }, "no error says \"\(reason)\":\n\(verdict.errors.joined(separator: "\n"))")
    }

    @Test(arguments: ManifestSchemaTests.fixtureCases.filter { !ManifestSchemaTests.fixturesBeyondTheSchema.contains($0.name) })
    func rejectsInvalidFixture(_ fixture: Case) throws {
        guard let verdict = try Self.verdict(fixture.name) else { return }
        #expect(!verdict.valid, "the schema accepts \(fixture.name)")
    }

    @Test func referenceDocMatchesTheCatalog() throws {
        let url = Self.packageRoot.appendingPathComponent("docs/manifest-reference.md")
        let generated = ManifestReference.markdown(catalog: BankRegistry.all.catalog)
        if ProcessInfo.processInfo.environment["PROVISION_RECORD_GOLDEN"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
        }
        let committed = try? String(contentsOf: url, encoding: .utf8)
        #expect(committed == generated, "docs/manifest-reference.md differs from ManifestReference.markdown(catalog: BankRegistry.all.catalog); regenerate it: PROVISION_RECORD_GOLDEN=1 swift test --filter ManifestSchemaTests")
    }
}

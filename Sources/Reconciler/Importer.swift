import Foundation
import PlanModel
import ManifestLanguage

/// What `provision import` asks for: one provider instance, some or all of its kinds, and the file the YAML goes to.
public struct ImportRequest: Sendable {
    public var provider: String
    /// Empty for every kind of the provider's type.
    public var kinds: [String]
    /// Where the YAML is written (a file of the manifest's folder is read again from the new text); "(stdout)" when printed.
    public var output: String

    /// The `output` that stands for standard output.
    public static let standardOutput = "(stdout)"

    public init(provider: String, kinds: [String] = [], output: String = ImportRequest.standardOutput) {
        self.provider = provider
        self.kinds = kinds
        self.output = output
    }
}

/// What an import wrote and recorded.
public struct ImportResult: Sendable {
    /// Manifest YAML for the live objects the manifest did not declare.
    public var yaml: String
    /// Addresses written to the YAML, sorted.
    public var imported: [ResourceAddress]
    /// Addresses recorded in state by adoption (the imported ones and declared ones state did not track yet), sorted.
    public var adopted: [ResourceAddress]
    /// Kinds and objects that could not be imported, and variables to set, each saying what to do.
    public var notes: [String]
    /// Resources of the imported kinds that the next plan still changes (the manifest asks for other values).
    public var differing: [ResourceAddress]
}

/// Reads the live objects of one provider, writes manifest YAML for those the manifest does not declare, and records
/// them in state through the planner's adoption (natural-key matching), so that `plan` afterwards shows no changes.
///
/// Secrets are never written: a sensitive attribute becomes `${env:INSTANCE_KIND_ATTRIBUTE}`.
public struct Importer: Sendable {
    public let providers: [String: any Provider]
    public let catalog: ProviderCatalog
    public let store: any StateBackend

    public init(providers: [String: any Provider], catalog: ProviderCatalog, store: any StateBackend) {
        self.providers = providers
        self.catalog = catalog
        self.store = store
    }

    /// Imports; `write` receives the YAML before state is changed, so a failed write changes nothing.
    public func run(
        _ request: ImportRequest, loaded: LoadedManifest, state: inout State,
        variables: [String: String] = ProcessInfo.processInfo.environment, journal: Journal? = nil, write: (String) throws -> Void
    ) async throws -> ImportResult {
        let manifest = loaded.manifest
        guard let config = manifest.provider(named: request.provider) else {
            throw ImportProblem.unknownProvider(request.provider, known: manifest.providers.map(\.name))
        }
        guard let provider = providers[config.name]?.importing else {
            throw ImportProblem.cannotImport(provider: config.name, type: config.type)
        }
        let kinds = try Self.kinds(request.kinds, of: provider)
        try Self.checkOverwrite(request.output)
        let recording = ManifestLoader.reads(request.output, manifestPath: loaded.path)
        // Resources only the output file declares are read again, so a second import rewrites the file whole.
        let declared = manifest.resources(of: config.name).filter { !ManifestLoader.isSameFile($0.location.file, request.output) }
        let inventory = try await provider.inventory(
            kinds: kinds, claimed: try await claimed(declared, by: provider, state: state), declared: Set(declared.map(\.address)))
        var written = ImportWriter(schema: provider.schema, known: inventory.known)
        for (address, object) in inventory.objects { written.add(object, at: address) }
        let yaml = ManifestWriter.yaml(written.resources, header: Self.header(config, kinds: kinds))
        var filled = variables
        for secret in written.secrets where filled[secret.variable] == nil { filled[secret.variable] = secret.live }
        let combined = try ManifestLoader.load(
            path: loaded.path, environment: manifest.environment, catalog: catalog, variables: filled,
            written: ManifestSource(path: request.output, text: yaml)
        ).manifest.scoped(targets: [], providers: [config.name])
        try write(yaml)
        let plan = try await Planner(providers: providers, catalog: catalog).plan(combined, state: state)
        let chosen = plan.changes.filter { kinds.contains($0.address.kind) }
        // Only what a manifest file declares is adopted: an object written nowhere the manifest reads stays out of state,
        // where a later `apply --allow-delete` would take it for one removed from the manifest.
        let kept = Set(declared.map(\.address))
        let adopting = chosen.filter { $0.action == .adopt && (recording || kept.contains($0.address)) }
        let unrecorded = recording || written.resources.isEmpty ? [] : [Self.unrecordedNote(request.output, manifestPath: loaded.path)]
        let report = try await Applier(providers: providers, store: store).apply(
            Plan(changes: adopting, providers: plan.providers, environment: plan.environment), manifest: combined, state: &state,
            journal: journal)
        return ImportResult(
            yaml: yaml, imported: written.resources.map(\.address).sorted(), adopted: report.applied,
            notes: inventory.notes + written.notes + written.secrets.map(\.note) + unrecorded,
            differing: chosen.filter { $0.action.isChange && $0.action != .adopt }.map(\.address).sorted())
    }

    /// Ids the declared resources and state already give to addresses of this provider.
    func claimed(_ declared: [Resource], by provider: any Inventorying, state: State) async throws -> RemoteIDs {
        let entries = state.entries(of: provider.name)
        var claimed = RemoteIDs(entries.compactMapValues(\.remoteID))
        for (address, observation) in try await provider.refresh(declared, state: entries) {
            if case .present(let id, _) = observation { claimed.ids[address] = id }
        }
        return claimed
    }

    /// The kinds asked for, checked against the provider's type; every importable kind when none is named.
    static func kinds(_ asked: [String], of provider: any Inventorying) throws -> [String] {
        let all = provider.schema.kinds.map(\.name)
        guard !asked.isEmpty else { return all }
        for kind in asked {
            guard all.contains(kind) else {
                throw ImportProblem.unknownKind(kind, provider: provider.name, type: provider.schema.type, known: all)
            }
            if let reason = provider.importRefusal(kind) { throw ImportProblem.notImportable(kind: kind, provider: provider.name, reason: reason) }
        }
        return asked
    }

    /// The first words of every file an import writes; a file that does not open with them is never overwritten.
    static let headerOpening = "# Written by `provision import "

    /// Refuses to replace a file that an import did not write (a hand-written manifest file, say).
    static func checkOverwrite(_ output: String) throws {
        guard output != ImportRequest.standardOutput, let handle = FileHandle(forReadingAtPath: output) else { return }
        defer { try? handle.close() }
        let opening = String(decoding: (try? handle.read(upToCount: headerOpening.utf8.count)) ?? Data(), as: UTF8.self)
        if opening != headerOpening { throw ImportProblem.wouldOverwrite(path: output) }
    }

    static func unrecordedNote(_ output: String, manifestPath: String) -> String {
        let place = output == ImportRequest.standardOutput ? "the YAML went to standard output" : "the manifest at \(manifestPath) does not read \(output)"
        var isFolder: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: manifestPath, isDirectory: &isFolder) && isFolder.boolValue
        let fix = folder
            ? "write it with --out \((manifestPath as NSString).appendingPathComponent("imported.yaml"))"
            : "pass the manifest's folder as PATH and write it with --out FOLDER/imported.yaml"
        return "State is unchanged for the imported objects: \(place). To adopt them, \(fix)."
    }

    static func header(_ config: ProviderConfig, kinds: [String]) -> [String] {
        [
            "Written by `provision import \(config.name)` from the live objects of \(config.name) (\(config.type)), kinds: \(kinds.sorted().joined(separator: ", ")).",
            "Secrets are ${env:...} references: set those variables before plan.",
        ]
    }
}

/// Why an import cannot start, each saying how to fix it.
public enum ImportProblem: Error, Sendable, CustomStringConvertible {
    case unknownProvider(String, known: [String])
    case unknownKind(String, provider: String, type: String, known: [String])
    case notImportable(kind: String, provider: String, reason: String)
    case cannotImport(provider: String, type: String)
    case wouldOverwrite(path: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownProvider(let name, let known):
            let hint = Suggestion.nearest(to: name, in: known).map { " Did you mean \($0)?" } ?? ""
            return "No provider \"\(name)\" is declared under providers:.\(hint) Declared: \(known.sorted().joined(separator: ", "))."
        case .unknownKind(let kind, let provider, let type, let known):
            let hint = Suggestion.nearest(to: kind, in: known).map { " Did you mean \($0)?" } ?? ""
            return "--kinds \(kind): \(provider) (\(type)) has no kind \"\(kind)\".\(hint) Its kinds: \(known.joined(separator: ", "))."
        case .notImportable(let kind, let provider, let reason):
            return "--kinds \(kind): \(provider).\(kind) cannot be imported: \(reason). Leave it out of --kinds."
        case .cannotImport(let provider, let type):
            return "\(provider) (\(type)) cannot be imported by this version: write its resources in the manifest by hand."
        case .unwritable(let path, let reason):
            return "Cannot write the imported YAML to \(path): \(reason). Choose a file in a folder that exists and can be written."
        case .wouldOverwrite(let path):
            return "--out \(path): the file exists and was not written by provision import, so it is left as it is. Choose a new file, such as imported.yaml in the manifest's folder."
        }
    }
}

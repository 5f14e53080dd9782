import Banks
import Foundation
import ManifestLanguage
import PlanModel
import PostgresState
import Reconciler

/// Where a manifest's state is: `--state` (a postgres:// URL or a folder), else the manifest's `backend:`, else
/// `.provision/` beside the manifest (per environment).
///
/// For another environment (promotion), a `--state` folder names only the chosen environment's state, so the other
/// environment's is found where it is by default; a database is the same for every environment.
struct BackendLocator: StateLocating {
    /// The `--state` value, if given.
    var explicit: String?

    func backend(for loaded: LoadedManifest) throws -> any StateBackend {
        if let explicit { return try Self.backend(at: explicit, for: loaded) }
        return try Self.configured(for: loaded)
    }

    func storage(for loaded: LoadedManifest) throws -> any StateStorage {
        if let explicit, PostgresURL.isDatabaseURL(explicit) { return try Self.postgres(try PostgresURL(parsing: explicit), for: loaded) }
        return try Self.configured(for: loaded)
    }

    /// The manifest's `backend:`, else the folder beside the manifest. A database whose URL an offline opening
    /// deferred is unreachable: using it throws the unset variable's error, never falls back to the folder.
    static func configured(for loaded: LoadedManifest) throws -> any StateBackend {
        guard let configured = loaded.manifest.backend, configured.type == .postgres else {
            return StateStore(directory: loaded.defaultStateDirectory)
        }
        guard let url = configured.url else {
            let unset = loaded.manifest.deferred.filter { $0.key == "\(BackendConfig.key).url" }
            let problems = unset.map(\.problem)
            return UnreachableStateBackend(reason: ManifestError(problems), localDirectory: loaded.defaultStateDirectory)
        }
        return try postgres(try PostgresURL(parsing: url.revealed), for: loaded)
    }

    /// A postgres:// URL names the database (the manifest's `backend:` gives the schema and name); anything else is a folder.
    static func backend(at text: String, for loaded: LoadedManifest) throws -> any StateBackend {
        guard PostgresURL.isDatabaseURL(text) else { return StateStore(directory: URL(fileURLWithPath: text, isDirectory: true)) }
        return try postgres(try PostgresURL(parsing: text), for: loaded)
    }

    /// The manifest's state in the database at `url`: named by `backend.name` or the manifest folder's name,
    /// in `backend.schema`, the URL's `?schema=` or the default; the secrets a run keeps stay in the local folder.
    static func postgres(_ url: PostgresURL, for loaded: LoadedManifest) throws -> PostgresStateBackend {
        let configured = loaded.manifest.backend
        return try PostgresStateBackend(
            url: url, schema: url.schema ?? configured?.schema, name: configured?.name ?? loaded.directory.lastPathComponent,
            environment: loaded.manifest.environment, localDirectory: loaded.defaultStateDirectory)
    }
}

extension ManifestOptions {
    /// The state backend for these options, the manifest loaded to find it offline: reading state (`state list`,
    /// `show`, `history`, `journal`, `unlock`) needs no bank credentials, only the backend's own variables.
    func backend() throws -> any StateBackend {
        try BackendLocator(explicit: state).backend(
            for: ManifestLoader.load(path: path, environment: environment, catalog: BankRegistry.all.catalog, credentials: .deferred))
    }
}

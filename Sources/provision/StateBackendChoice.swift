import Foundation
import PlanModel
import PostgresState
import Reconciler

extension ManifestOptions {
    /// Where this manifest's state is: `--state` (a postgres:// URL or a folder), else the manifest's `backend:`,
    /// else `.provision/` beside the manifest (per environment).
    func backend(for loaded: LoadedManifest) throws -> any StateBackend {
        if let state { return try StateBackendChoice.backend(at: state, for: loaded) }
        guard let configured = loaded.manifest.backend, configured.type == .postgres, let url = configured.url else {
            return StateStore(directory: loaded.defaultStateDirectory)
        }
        return try StateBackendChoice.postgres(try PostgresURL(parsing: url.revealed), for: loaded)
    }
}

/// Turns a `--state` or `--to` value into a state backend for a loaded manifest.
enum StateBackendChoice {
    /// A postgres:// URL names the database (the manifest's `backend:` gives the schema and name); anything else is a folder.
    static func backend(at text: String, for loaded: LoadedManifest) throws -> any StateBackend {
        guard PostgresURL.isDatabaseURL(text) else { return StateStore(directory: URL(fileURLWithPath: text, isDirectory: true)) }
        return try postgres(try PostgresURL(parsing: text), for: loaded)
    }

    /// The manifest's state in the database at `url`: named by `backend.name` or the manifest folder's name,
    /// in `backend.schema`, the URL's `?schema=` or the default; the journal and secrets stay in the local folder.
    static func postgres(_ url: PostgresURL, for loaded: LoadedManifest) throws -> PostgresStateBackend {
        let configured = loaded.manifest.backend
        return try PostgresStateBackend(
            url: url, schema: url.schema ?? configured?.schema, name: configured?.name ?? loaded.directory.lastPathComponent,
            environment: loaded.manifest.environment, localDirectory: loaded.defaultStateDirectory)
    }
}

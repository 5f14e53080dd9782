import ArgumentParser

/// Where the manifest and the state are.
struct ManifestOptions: ParsableArguments {
    @Argument(help: "A manifest file, or a folder whose *.yaml files form the manifest.")
    var path: String = "."

    @Option(name: .customLong("env"), help: "The environment to use, from the manifest's environments:.")
    var environment: String?

    @Option(help: "Where the state is: a folder, or a postgres://USER@HOST:PORT/DATABASE URL (default: the manifest's backend:, else .provision beside the manifest, .provision/environments/NAME with --env).")
    var state: String?
}

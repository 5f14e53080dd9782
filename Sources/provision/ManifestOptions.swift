import ArgumentParser

/// Where the manifest and the state are.
struct ManifestOptions: ParsableArguments {
    @Argument(help: "A manifest file, or a folder whose *.yaml files form the manifest.")
    var path: String = "."

    @Option(help: "Folder for state (default: .provision beside the manifest).")
    var state: String?
}

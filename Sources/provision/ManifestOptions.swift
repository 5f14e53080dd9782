import ArgumentParser
import PlanModel

/// Where the manifest and the state are.
struct ManifestOptions: ParsableArguments {
    @Argument(help: "A manifest file, or a folder whose *.yaml files form the manifest.")
    var path: String = "."

    @Option(name: .customLong("env"), help: "The environment to use, from the manifest's environments:.")
    var environment: String?

    @Option(help: "Where the state is: a folder, or a postgres://USER@HOST:PORT/DATABASE URL (default: the manifest's backend:, else .provision beside the manifest, .provision/environments/NAME with --env).")
    var state: String?

    /// How the person ran provision, for the commands the tool prints: the path, `--env` and `--state` as given.
    var invocation: Invocation { Invocation(manifestPath: path, environment: environment, state: state) }
}

/// A part of the manifest to plan or apply, as Terraform's `-target`.
struct ScopeOptions: ParsableArguments {
    @Option(name: .customLong("target"), help: "Plan or apply only this resource and what it depends on (repeatable), e.g. INSTANCE.KIND.NAME.")
    var targets: [String] = []

    @Option(name: .customLong("provider"), help: "Plan or apply only this provider's resources (repeatable); other providers are not contacted.")
    var providers: [String] = []

    var isEmpty: Bool { targets.isEmpty && providers.isEmpty }
}

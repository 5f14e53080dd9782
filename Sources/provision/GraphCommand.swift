import ArgumentParser
import Banks
import PlanModel
import Reconciler
import ManifestLanguage
import Rendering

/// How the dependency graph is printed.
enum GraphFormat: String, ExpressibleByArgument, CaseIterable {
    case dot, mermaid

    func render(_ resources: [Resource]) -> String {
        switch self {
        case .dot: return DependencyGraph.dot(resources)
        case .mermaid: return DependencyGraph.mermaid(resources)
        }
    }
}

struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the manifest's dependency graph, for Graphviz (dot) or Mermaid. No bank is contacted.",
        discussion: "Each resource is a box grouped under its provider instance, labelled with its kind, name and capability; an arrow points from a resource to one it depends on. Render DOT with `provision graph | dot -Tsvg > graph.svg`. Needs no credentials: an unset variable is a note on standard error. Exit codes: 0, 1 invalid manifest.")

    @OptionGroup var options: ManifestOptions

    @Option(help: "Output format: dot (Graphviz) or mermaid.")
    var format: GraphFormat = .dot

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            let manifest = try Workspace.open(options, credentials: .deferred).manifest
            Terminal.out(format.render(manifest.resources), terminator: "")
        }
    }
}

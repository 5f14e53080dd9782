import PlanModel

/// The dependency graph as text for Graphviz (`dot`) or Mermaid: one box per resource, grouped by provider instance,
/// an arrow from each resource to each resource it depends on (as Terraform's graph draws them).
///
/// Deterministic: providers, resources and edges sorted by address; no ids or timestamps from outside the manifest.
extension DependencyGraph {
    /// Graphviz DOT; render with `dot -Tsvg`.
    public static func dot(_ resources: [Resource]) -> String {
        var lines = ["digraph provision {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];"]
        for (instance, members) in groups(resources) {
            lines.append("  subgraph \(quoted("cluster_" + instance)) {")
            lines.append("    label=\(quoted("\(instance) (\(members[0].providerType))"));")
            for resource in members {
                let style = resource.capability == .managed ? "" : ", style=\(resource.capability == .observed ? "rounded" : "dashed")"
                lines.append("    \(quoted(resource.address.description)) [label=\(quoted(label(resource, newline: "\\n")))\(style)];")
            }
            lines.append("  }")
        }
        for (from, to) in edges(resources) {
            lines.append("  \(quoted(from.description)) -> \(quoted(to.description));")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Mermaid flowchart, for Markdown pages that render Mermaid (GitHub, GitLab).
    public static func mermaid(_ resources: [Resource]) -> String {
        let sorted = resources.sorted { $0.address < $1.address }
        let ids = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.address, "n\($0 + 1)") })
        var lines = ["flowchart LR"]
        for (number, (instance, members)) in groups(resources).enumerated() {
            lines.append("  subgraph g\(number + 1)[\"\(instance) (\(members[0].providerType))\"]")
            for resource in members {
                let text = label(resource, newline: "<br/>")
                lines.append("    \(ids[resource.address]!)" + (resource.capability == .managed ? "[\"\(text)\"]" : "([\"\(text)\"])"))
            }
            lines.append("  end")
        }
        for (from, to) in edges(resources) {
            lines.append("  \(ids[from]!) --> \(ids[to]!)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `KIND.NAME` (or `KIND` for a singleton) and the capability.
    static func label(_ resource: Resource, newline: String) -> String {
        [resource.address.kind, resource.address.name].compactMap { $0 }.joined(separator: ".") + newline + resource.capability.rawValue
    }

    /// Resources by provider instance, both sorted.
    static func groups(_ resources: [Resource]) -> [(String, [Resource])] {
        Dictionary(grouping: resources, by: \.address.instance).sorted { $0.key < $1.key }
            .map { ($0.key, $0.value.sorted { $0.address < $1.address }) }
    }

    /// Dependent → dependency, for dependencies the manifest declares; sorted.
    static func edges(_ resources: [Resource]) -> [(ResourceAddress, ResourceAddress)] {
        let present = Set(resources.map(\.address))
        return resources.sorted { $0.address < $1.address }.flatMap { resource in
            resource.dependencies.filter { present.contains($0) && $0 != resource.address }.map { (resource.address, $0) }
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

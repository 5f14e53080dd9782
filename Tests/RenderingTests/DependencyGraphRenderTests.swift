import Foundation
import PlanModel
import Testing
import Rendering

/// `provision graph`'s text, against golden files beside this test (re-record with PROVISION_RECORD_GOLDEN=1).
struct DependencyGraphRenderTests {
    let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)

    func resource(_ text: String, _ type: String, _ capability: Capability, references: [String: String] = [:]) -> Resource {
        Resource(
            address: ResourceAddress(parsing: text)!, providerType: type, capability: capability, attributes: [:],
            references: references.mapValues { ResourceAddress(parsing: $0)! }, location: here)
    }

    /// Two providers, a chain, a singleton and a resource with no dependencies, given out of order.
    var resources: [Resource] {
        [
            resource("sepay.bank_links.acme-main", "sepay-bankhub", .interactive, references: ["company": "sepay.companies.acme"]),
            resource("finan.webhook", "finan-one", .manual),
            resource("finan.bank_accounts.accounting", "finan-one", .managed, references: ["master": "finan.master_accounts.main"]),
            resource("sepay.companies.acme", "sepay-bankhub", .managed),
            resource("finan.master_accounts.main", "finan-one", .observed),
            resource("finan.bank_accounts.payroll", "finan-one", .managed, references: ["master": "finan.master_accounts.main"]),
        ]
    }

    func matchesGolden(_ rendered: String, _ name: String) throws {
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["PROVISION_RECORD_GOLDEN"] == "1" {
            try rendered.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(rendered == (try String(contentsOf: golden, encoding: .utf8)), "re-record with PROVISION_RECORD_GOLDEN=1 if the change is meant")
    }

    @Test func dotMatchesGoldenFile() throws {
        try matchesGolden(DependencyGraph.dot(resources), "graph.dot")
    }

    @Test func mermaidMatchesGoldenFile() throws {
        try matchesGolden(DependencyGraph.mermaid(resources), "graph.mmd")
    }

    @Test func theOrderResourcesComeInDoesNotChangeTheText() {
        #expect(DependencyGraph.dot(resources.reversed()) == DependencyGraph.dot(resources))
        #expect(DependencyGraph.mermaid(resources.reversed()) == DependencyGraph.mermaid(resources))
    }

    @Test func everyDependencyIsOneEdgeFromDependentToDependency() {
        let dot = DependencyGraph.dot(resources)
        #expect(dot.components(separatedBy: " -> ").count - 1 == 3)
        #expect(dot.contains("\"finan.bank_accounts.accounting\" -> \"finan.master_accounts.main\";"))
        #expect(dot.contains("\"sepay.bank_links.acme-main\" -> \"sepay.companies.acme\";"))
        #expect(DependencyGraph.mermaid(resources).components(separatedBy: " --> ").count - 1 == 3)
    }
}

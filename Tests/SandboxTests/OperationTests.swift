import Banks
import Foundation
import ManifestLanguage
import PlanModel
import Reconciler
import Sandbox
import Testing

/// The engine's operations run in process against the Finan One simulator: what each one does, the exit code it
/// decides, the journal it writes, and that a journal that cannot be written stops it before any bank call.
@Suite("Engine operations in process")
struct OperationTests {
    static let webhook = ResourceAddress(instance: "finan", kind: "webhook", name: nil)

    /// A simulator on a free port, a state folder, and the manifest's workspace; removed afterwards.
    struct Bench {
        let sandbox: RunningSandbox
        let store: StateStore

        func manifest(_ accounts: [String], environments: String = "") throws -> Manifest {
            let entries = accounts.enumerated().map { "    a\($0.offset): { master: main, account_name: \($0.element) }" }
            let text = """
                version: 1
                providers:
                  finan:
                    type: finan-one
                    endpoint: http://127.0.0.1:\(sandbox.port)/finan/open
                    client_id: sandbox-client-id
                    secret_key: sandbox-secret-key
                finan:
                  master_accounts:
                    main: { account_number: "0933450210" }
                  webhook: { url: "https://hooks.example.com/finan" }

                """ + (entries.isEmpty ? "" : "  bank_accounts:\n" + entries.joined(separator: "\n") + "\n") + environments
            // Written where a manifest lives, as import reads the manifest's files again.
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: folder.appendingPathComponent("bank.yaml"), atomically: true, encoding: .utf8)
            return try ManifestLoader.load(path: folder.path, environment: environments.isEmpty ? nil : "uat", catalog: BankRegistry.all.catalog, variables: [:]).manifest
        }

        var folder: URL { store.directory.deletingLastPathComponent().appendingPathComponent("manifest") }

        func workspace(_ manifest: Manifest, store: StateStore? = nil) throws -> Workspace {
            let loaded = LoadedManifest(manifest: manifest, path: folder.path, directory: folder)
            return .testing(loaded, providers: try BankRegistry.all.connect(manifest, sandboxBaseURL: nil), store: store ?? self.store)
        }

        var requests: Int { sandbox.traffic.current.requests }

        /// Puts a file where the journal's folder goes, so that no journal can be opened.
        func blockJournal() throws {
            try? FileManager.default.removeItem(at: store.directory.appendingPathComponent("journal"))
            try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
            try Data("not a folder".utf8).write(to: store.directory.appendingPathComponent("journal"))
        }

        func journal() throws -> [JournalEntry] {
            try store.journalEntries().map(\.entry)
        }

        static func with(_ body: (Bench) async throws -> Void) async throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("provision-operations-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: root.appendingPathComponent("bank").path))
            do {
                try await body(Bench(sandbox: sandbox, store: StateStore(directory: root.appendingPathComponent("state"))))
                await sandbox.stop()
            } catch {
                await sandbox.stop()
                throw error
            }
        }
    }

    static func apply(_ workspace: Workspace, approval: Approval = .given) async throws -> ApplyResult {
        try await ApplyOperation(ApplyRequest(approval: approval)).run(in: workspace)
    }

    @Test func planShowsWhatApplyWouldDoAndChangesNothing() async throws {
        try await Bench.with { bench in
            let workspace = try bench.workspace(try bench.manifest(["KE TOAN", "LUONG"]))
            // Beside the manifest: a saved plan applies only the manifest of its own tree.
            let saved = bench.folder.appendingPathComponent("saved.plan").path
            let verdict = try await PlanOperation(PlanRequest(savePath: saved, describe: { "\($0.changes.count) changes" })).run(in: workspace)
            #expect(verdict.plan.changes.filter { $0.action == .create }.count == 2)
            #expect(try verdict.planExitCode(detailed: true) == 2)
            #expect(try SavedPlan.read(from: saved).planText == "\(verdict.plan.changes.count) changes")
            #expect(try bench.store.load().resources.isEmpty, "a plan writes no state")
            #expect(try bench.journal().isEmpty, "a plan writes no journal")
        }
    }

    @Test func applyJournalsEveryCallConvergesAndDriftThenFindsNothing() async throws {
        try await Bench.with { bench in
            let workspace = try bench.workspace(try bench.manifest(["KE TOAN", "LUONG"]))
            let events = Kept<[String]>([])
            let result = try await ApplyOperation(ApplyRequest(approval: .given)).run(in: workspace) { event in
                if case .step(let step) = event { events.value.append("\(step)") }
            }
            let report = try #require(result.report)
            #expect(report.applied.count == 2 && report.waiting == [Self.webhook])
            #expect(result.exitCode == 3, "the webhook waits for a person in the portal")
            let lines = try bench.journal()
            for name in ["a0", "a1"] {
                let mine = lines.filter { $0.address == "finan.bank_accounts.\(name)" }
                #expect(mine.map(\.entry) == ["intent", "outcome"] && mine.allSatisfy { $0.operation == "apply" })
                #expect(mine.last?.requestID != nil && mine.last?.remoteID != nil)
            }
            #expect(!events.value.isEmpty)
            let drift = try await DriftOperation().run(in: workspace)
            #expect(drift.driftExitCode == 0)
            let again = try await PlanOperation(PlanRequest()).run(in: workspace)
            #expect(again.plan.changes.allSatisfy { !$0.action.callsAPI }, "\(again.plan.changes)")
        }
    }

    @Test func aPersonWhoSaysNoChangesNothingAndNobodyToAskIsAnError() async throws {
        try await Bench.with { bench in
            let workspace = try bench.workspace(try bench.manifest(["KE TOAN"]))
            let asked = Kept<Int>(0)
            let declined = try await Self.apply(workspace, approval: .ask { plan in
                asked.value += plan.changes.count
                return false
            })
            #expect(declined.cancelled && declined.exitCode == 1 && asked.value > 0)
            await #expect(throws: ReconcilerError.self) { _ = try await Self.apply(workspace, approval: .unavailable("no terminal")) }
            #expect(try bench.store.load().resources.isEmpty)
            #expect(try bench.journal().isEmpty)
            let plan = try await PlanOperation(PlanRequest()).run(in: workspace).plan
            #expect(plan.changes.contains { $0.action == .create }, "nothing was created at the bank")
        }
    }

    @Test func confirmRecordsAManualStepAndAGateWithAJournalLineFirst() async throws {
        try await Bench.with { bench in
            let manifest = try bench.manifest([], environments: "environments:\n  uat:\n    gates:\n      nda-signed: Sign the NDA.\n")
            let workspace = try bench.workspace(manifest)
            let step = try await ConfirmOperation(ConfirmRequest(address: Self.webhook.description, by: "dana")).run(in: workspace)
            #expect(step == .step(address: Self.webhook.description))
            let gate = try await ConfirmOperation(ConfirmRequest(address: "gate.nda-signed", note: "TICKET-7", by: "dana")).run(in: workspace)
            guard case .gate(let name, let environment, let confirmation) = gate else { Issue.record("\(gate)"); return }
            #expect(name == "nda-signed" && environment == "uat" && confirmation.by == "dana" && confirmation.note == "TICKET-7")
            let state = try bench.store.load()
            #expect(state[Self.webhook]?.confirmed != nil && state.gates["nda-signed"]?.note == "TICKET-7")
            #expect(try bench.journal().map { "\($0.entry) \($0.address) \($0.by ?? "")" } == ["confirm finan.webhook dana", "gate gate.nda-signed dana"])
            #expect(bench.requests == 0, "confirming contacts no bank")
            await #expect(throws: ReconcilerError.self) {
                _ = try await ConfirmOperation(ConfirmRequest(address: "finan.bank_accounts.nope", by: "dana")).run(in: workspace)
            }
        }
    }

    @Test func importAdoptsWhatTheBankHoldsAndJournalsIt() async throws {
        try await Bench.with { bench in
            _ = try await Self.apply(try bench.workspace(try bench.manifest(["KE TOAN", "LUONG"])))
            let fresh = StateStore(directory: bench.store.directory.deletingLastPathComponent().appendingPathComponent("fresh"))
            let workspace = try bench.workspace(try bench.manifest([]), store: fresh)
            let printed = try await ImportOperation(ImportRequest(provider: "finan", kinds: ["bank_accounts"])).run(in: workspace)
            #expect(printed.imported.count == 2 && printed.yaml.contains("KE TOAN") && printed.yaml.contains("LUONG"))
            #expect(try fresh.load().resources.isEmpty, "what went to standard output is not adopted")

            let file = bench.folder.appendingPathComponent("imported.yaml").path
            let written = try await ImportOperation(ImportRequest(provider: "finan", kinds: ["bank_accounts"], output: file)).run(in: workspace)
            #expect(try written.adopted.count == 2 && String(contentsOfFile: file, encoding: .utf8) == written.yaml)
            #expect(try fresh.load().resources.count == 2)
            let lines = try fresh.journalEntries().map(\.entry)
            #expect(lines.map { "\($0.operation ?? "") \($0.entry) \($0.action)" } == ["import outcome adopt", "import outcome adopt"])
        }
    }

    @Test func aJournalThatCannotBeWrittenStopsApplyImportAndConfirmBeforeAnyBankCall() async throws {
        try await Bench.with { bench in
            let workspace = try bench.workspace(try bench.manifest(["KE TOAN"]))
            try bench.blockJournal()
            bench.sandbox.traffic.reset()
            for (name, run) in [
                ("apply", { _ = try await Self.apply(workspace) }),
                ("import", { _ = try await ImportOperation(ImportRequest(provider: "finan")).run(in: workspace) }),
                ("confirm", { _ = try await ConfirmOperation(ConfirmRequest(address: Self.webhook.description, by: "dana")).run(in: workspace) }),
            ] as [(String, () async throws -> Void)] {
                do {
                    try await run()
                    Issue.record("\(name) ran without a journal")
                } catch let error as ReconcilerError {
                    guard case .journalUnwritable(let location, _) = error else { Issue.record("\(name): \(error)"); continue }
                    #expect(location.hasSuffix("journal") && "\(error)".contains("stopped before its next bank call"), "\(name): \(error)")
                }
            }
            #expect(bench.requests == 0, "no bank was contacted")
            #expect(try bench.store.load().resources.isEmpty, "no state was written")
        }
    }

    @Test func stateMigrationCopiesEveryVersionAndJournalsItAtTheTarget() async throws {
        try await Bench.with { bench in
            _ = try await Self.apply(try bench.workspace(try bench.manifest(["KE TOAN"])))
            let target = StateStore(directory: bench.store.directory.deletingLastPathComponent().appendingPathComponent("moved"))
            let head = try await StateMigration(from: bench.store, to: target).run()
            #expect(try target.load() == bench.store.load() && head.resources.count == 2)
            #expect(try target.history().map(\.state.serial) == bench.store.history().map(\.state.serial))
            #expect(try target.journalEntries().map { "\($0.entry.operation ?? "") \($0.entry.entry)" } == ["state migrate intent", "state migrate outcome"])
            await #expect(throws: ReconcilerError.self, "the target now holds a state") { _ = try await StateMigration(from: bench.store, to: target).run() }
            await #expect(throws: ReconcilerError.self, "a state is not migrated onto itself") { _ = try await StateMigration(from: target, to: target).run() }
        }
    }

    @Test func refreshOnlyRecordsWhatTheBankHoldsWithReadsOnly() async throws {
        try await Bench.with { bench in
            let workspace = try bench.workspace(try bench.manifest(["KE TOAN"]))
            _ = try await Self.apply(workspace)
            var state = try bench.store.load()
            let account = ResourceAddress(instance: "finan", kind: "bank_accounts", name: "a0")
            state[account]?.attributes["account_name"] = .string("KE TOAN CU")
            try bench.store.save(&state)
            bench.sandbox.traffic.reset()
            #expect(try await DriftOperation().run(in: workspace).driftExitCode == 2)
            let reads = bench.requests
            bench.sandbox.traffic.reset()
            var request = ApplyRequest(approval: .given)
            request.refreshOnly = true
            let result = try await ApplyOperation(request).run(in: workspace)
            #expect(result.exitCode == 0 && result.report?.applied == [account])
            #expect(bench.requests == reads, "refresh-only made \(bench.requests) calls where a drift check makes \(reads): no write call")
            #expect(try bench.store.load()[account]?.attributes["account_name"] == .string("KE TOAN"))
            #expect(try await DriftOperation().run(in: workspace).driftExitCode == 0)
            #expect(try bench.journal().last.map { "\($0.entry) \($0.action) \($0.address)" } == "outcome refresh finan.bank_accounts.a0")
        }
    }
}

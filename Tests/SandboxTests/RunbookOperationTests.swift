import Banks
import Foundation
import ManifestLanguage
import PlanModel
import Reconciler
import Sandbox
import Testing

/// The runbook in process against the simulators: ICICI's gates in their declared order, a Finan One webhook (a portal
/// step), ICICI's portal steps verified by probe and a SePay bank link (browser steps), each with its status; a
/// confirmation shows who, when and the note; offline and an unreachable bank report from state, marked unverified.
@Suite("Runbook operation against the simulators")
struct RunbookOperationTests {
    static let manifest = """
        version: 1
        providers:
          finan: { type: finan-one, endpoint: sandbox, client_id: sandbox-client-id, secret_key: sandbox-secret-key }
          icici: { type: icici-api-banking, endpoint: sandbox, api_key: runbook-test-key }
          sepay: { type: sepay-bankhub, endpoint: sandbox, client_id: sandbox-client-id, client_secret: sandbox-client-secret }
        finan:
          master_accounts:
            main: { account_number: "0933450210" }
          webhook: { url: "https://hooks.example.com/finan", owner: platform-team }
        icici:
          account_plan: { plan: Standard, owner: finance }
          applications:
            payments: { name: acme-payments, platform: Web, apis: [CIB Registration], owner: payments-ops }
          cib_registrations:
            ops: { corp_id: CIBNEXT, user_id: USER1, aggr_id: AGGR0001, aggr_name: ACME, urn: URN0001 }
        sepay:
          companies:
            acme: { full_name: ACME Trading JSC, short_name: ACME }
          bank_links:
            acme-main: { company: acme, owner: treasury }
        environments:
          uat:
            gates:
              uat-onboarding-request: Submit the UAT onboarding request in the portal.
              nda-signed: { instructions: "Sign ICICI's NDA.", owner: legal }
              uat-keys-received: Receive the UAT API key by e-mail.
        """

    /// The simulators on a free port, the manifest in a folder of its own, its state and its workspace.
    struct Bench {
        let sandbox: RunningSandbox
        let folder: URL
        let store: StateStore

        var invocation: Invocation { Invocation(manifestPath: folder.path, environment: "uat") }

        func workspace(base: String? = nil) throws -> Workspace {
            let loaded = try ManifestLoader.load(path: folder.path, environment: "uat", catalog: BankRegistry.all.catalog, variables: [:])
            let providers = try BankRegistry.all.connect(loaded.manifest, sandboxBaseURL: base ?? "http://127.0.0.1:\(sandbox.port)")
            return .testing(loaded, providers: providers, store: store)
        }

        func runbook(offline: Bool = false, base: String? = nil) async throws -> Runbook {
            try await RunbookOperation(RunbookRequest(offline: offline, invocation: invocation)).run(in: try workspace(base: base))
        }

        static func with(_ body: (Bench) async throws -> Void) async throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("provision-runbook-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let data = root.appendingPathComponent("bank")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            // The reference's throw-away key as the bank's, so that no key is made for the test.
            try Data(try String(contentsOf: ICICIHarness.keyFile, encoding: .utf8).utf8).write(to: data.appendingPathComponent("icici-bank-key.pem"))
            let folder = root.appendingPathComponent("manifest")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try RunbookOperationTests.manifest.write(to: folder.appendingPathComponent("bank.yaml"), atomically: true, encoding: .utf8)
            let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: data.path))
            do {
                try await body(Bench(sandbox: sandbox, folder: folder, store: StateStore(directory: root.appendingPathComponent("state"))))
                await sandbox.stop()
            } catch {
                await sandbox.stop()
                throw error
            }
        }
    }

    static func step(_ runbook: Runbook, _ address: String) throws -> RunbookStep {
        try #require(runbook.steps.first { $0.address == address }, "\(runbook.steps.map(\.address))")
    }

    @Test func listsEveryGateInOrderAndEveryPersonStepWithItsStatus() async throws {
        try await Bench.with { bench in
            let runbook = try await bench.runbook()
            #expect(runbook.steps.map(\.address) == [
                "gate.uat-onboarding-request", "gate.nda-signed", "gate.uat-keys-received",
                "finan.master_accounts.main", "finan.webhook", "icici.account_plan", "icici.applications.payments",
                "icici.cib_registrations.ops", "sepay.bank_links.acme-main",
            ])
            #expect(runbook.summary == "1 of 9 done" && runbook.unverified.isEmpty, "\(runbook.summary) \(runbook.unverified)")
            let nda = try Self.step(runbook, "gate.nda-signed")
            #expect(nda.owner == "legal" && nda.status.state == .pending && nda.kind == .gate)
            #expect(nda.record == "provision confirm gate.nda-signed \(bench.folder.path) --env uat")
            #expect(nda.unblocks.contains("icici.cib_registrations.ops"))
            let webhook = try Self.step(runbook, "finan.webhook")
            #expect(webhook.kind == .manual && webhook.owner == "platform-team" && webhook.status.state == .pending)
            #expect(webhook.instructions.contains("Record that it is done: provision confirm finan.webhook \(bench.folder.path) --env uat"), "\(webhook.instructions)")
            let application = try Self.step(runbook, "icici.applications.payments")
            #expect(application.status.evidence.contains { $0.contains("missing") && $0.contains("invalid or disabled API key") }, "\(application.status)")
            #expect(application.unblocks == ["icici.cib_registrations.ops"])
            let registration = try Self.step(runbook, "icici.cib_registrations.ops")
            #expect(registration.status.state == .waiting && registration.status.waitsFor == ["icici.applications.payments"])
            #expect(registration.record == "provision apply \(bench.folder.path) --env uat")
            let link = try Self.step(runbook, "sepay.bank_links.acme-main")
            #expect(link.kind == .interactive && link.owner == "treasury" && link.status.state == .pending)
            #expect(try Self.step(runbook, "finan.master_accounts.main").status.state == .done)
        }
    }

    @Test func aConfirmationShowsDoneByWhomWhenAndTheNote() async throws {
        try await Bench.with { bench in
            let workspace = try bench.workspace()
            _ = try await ConfirmOperation(ConfirmRequest(address: "gate.nda-signed", note: "TICKET-7", by: "alice")).run(in: workspace)
            _ = try await ConfirmOperation(ConfirmRequest(address: "finan.webhook", note: "CHG-12", by: "bob")).run(in: workspace)
            let runbook = try await bench.runbook()
            let nda = try Self.step(runbook, "gate.nda-signed")
            #expect(nda.status.state == .done && nda.status.confirmation?.by == "alice" && nda.status.confirmation?.note == "TICKET-7")
            #expect(nda.status.confirmationLine?.hasPrefix("confirmed by alice at ") == true)
            let webhook = try Self.step(runbook, "finan.webhook")
            #expect(webhook.status.state == .done && webhook.status.confirmation?.by == "bob" && webhook.status.confirmation?.note == "CHG-12")
            #expect(runbook.summary == "3 of 9 done")
        }
    }

    @Test func offlineContactsNoBankAndMarksEveryBankStatusUnverified() async throws {
        try await Bench.with { bench in
            _ = try await ConfirmOperation(ConfirmRequest(address: "gate.nda-signed", by: "alice")).run(in: try bench.workspace())
            let before = bench.sandbox.traffic.current.requests
            let runbook = try await bench.runbook(offline: true)
            #expect(bench.sandbox.traffic.current.requests == before, "offline sends nothing")
            #expect(runbook.unverified.map(\.provider) == ["finan", "icici", "sepay"])
            #expect(try Self.step(runbook, "gate.nda-signed").status.verified, "a gate's status is the state's")
            #expect(runbook.steps.filter { $0.kind != .gate }.allSatisfy { !$0.status.verified })
            #expect(try Self.step(runbook, "icici.cib_registrations.ops").status.waitsFor == ["icici.applications.payments"])
            #expect(runbook.steps.count == 9 && runbook.summary == "1 of 9 done")
        }
    }

    @Test func aBankThatCannotBeReachedIsReportedFromStateNotFailed() async throws {
        try await Bench.with { bench in
            let runbook = try await bench.runbook(base: "http://127.0.0.1:1")
            #expect(runbook.steps.count == 9)
            #expect(runbook.unverified.count == 3 && runbook.unverified.allSatisfy { $0.reason.hasPrefix("could not be read") }, "\(runbook.unverified)")
        }
    }
}

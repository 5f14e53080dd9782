import Banks
import Foundation
import PlanModel
import Reconciler
import Testing
import ManifestLanguage
import Rendering

/// The engine (planner, applier, VietinBank provider) against the embedded VietinBank sandbox, end to end: portal
/// steps verified by probe, consent through a loopback callback, token refresh, a signed statement push.
@Suite("VietinBank iConnect: engine against the simulator")
struct VietinBankEngineTests {
    static let application = ResourceAddress(instance: "vtb", kind: "applications", name: "erp")
    static let consent = ResourceAddress(instance: "vtb", kind: "consents", name: "finance")

    static func indented(_ text: String) -> String {
        text.split(separator: "\n").map { "      \($0)" }.joined(separator: "\n")
    }

    func manifest(_ harness: VietinHarness, callbackPort: Int) async throws -> Manifest {
        try await manifest(harness, callback: "http://127.0.0.1:\(callbackPort)/vietinbank/callback")
    }

    func manifest(_ harness: VietinHarness, callback: String) async throws -> Manifest {
        let key = try String(contentsOf: VietinHarness.keyFile, encoding: .utf8)
        let certificate = try await harness.bankCertificate()
        return try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: """
            version: 1
            providers:
              vtb:
                type: vietinbank-iconnect
                endpoint: sandbox
                client_id: \(VietinHarness.clientID)
                client_secret: \(VietinHarness.clientSecret)
                provider_id: SBX
                merchant_id: SBX001
                private_key: |
            \(Self.indented(key))
                bank_certificate: |
            \(Self.indented(certificate))
            vtb:
              applications:
                erp:
                  name: acme-erp
                  callback_url: \(callback)
                  subscriptions:
                    - { api: erp-statement, plan: Default, rate_limit: 100/minute }
                    - { api: erp-transfer, plan: Default }
              consents:
                finance: { application: erp, scope: statement, customer: ACME finance team }
              statement_push:
                main: { account: "108000123456", notify_type: FILE, output_folder: /statements/acme, cron: "0 0 * * *" }
            """)])
    }

    /// Planner and applier over the sandbox, their state in a folder of their own; every rendering and event kept.
    final class Engine: @unchecked Sendable {
        let providers: [String: any Provider]
        let store: StateStore
        let output = Kept<[String]>([])

        convenience init(_ manifest: Manifest, harness: VietinHarness) throws {
            try self.init(manifest, directory: harness.directory, base: harness.base, now: { harness.clock.now })
        }

        /// The engine over the sandbox at `base`, its state in a new folder under `directory`.
        init(_ manifest: Manifest, directory: URL, base: String, now: @escaping @Sendable () -> Date = { Date() }) throws {
            store = StateStore(directory: directory.appendingPathComponent("state-\(UUID().uuidString)"))
            try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
            providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: base, now: now, keptSecrets: store.keptSecrets)
        }

        func plan(_ manifest: Manifest) async throws -> Plan {
            let plan = try await PlanOperation(PlanRequest()).run(in: workspace(manifest)).plan
            output.value += [PlanRenderer.text(plan), PlanRenderer.json(plan), PlanRenderer.markdown(plan)]
            return plan
        }

        func workspace(_ manifest: Manifest) -> Workspace {
            .testing(manifest, providers: providers, store: store)
        }

        /// `provision apply --auto-approve`, through the engine's apply operation; the plan it made is saved beside
        /// the state (as `plan --out` would) and rendered, so that the tests can look for secrets in every output.
        func apply(_ manifest: Manifest, wait: Duration = .seconds(20), onEvent: @escaping @Sendable (ApplyEvent) -> Void) async throws -> ApplyReport {
            let state = try store.load()
            let request = ApplyRequest(waitForPeople: wait, approval: .given, pollInterval: .milliseconds(50))
            let result = try await ApplyOperation(request).run(in: workspace(manifest)) { event in
                switch event {
                case .planned(let plan, _):
                    self.output.value += [PlanRenderer.text(plan), PlanRenderer.json(plan), PlanRenderer.markdown(plan)]
                    try? SavedPlan(plan: plan, manifest: manifest, state: state, manifestPath: "bank.yaml", allowDelete: false)
                        .write(to: self.store.directory.appendingPathComponent("saved.plan").path)
                case .step(let step):
                    self.output.value.append("\(step)")
                    onEvent(step)
                case .drift:
                    break
                }
            }
            return try #require(result.report)
        }

        /// `provision confirm ADDRESS`, through the engine's confirm operation.
        func confirm(_ resource: Resource, in manifest: Manifest) async throws {
            _ = try await ConfirmOperation(ConfirmRequest(address: resource.address.description, by: "tester")).run(in: workspace(manifest))
        }
    }

    func change(_ plan: Plan, _ address: ResourceAddress) throws -> Change {
        try #require(plan.changes.first { $0.address == address })
    }

    func outcome(_ change: Change, _ part: String) -> ProbeOutcome? {
        change.probe?.parts.first { $0.part.hasPrefix(part) }?.outcome
    }

    @Test func portalStepsAreVerifiedByProbeTheConsentCompletesAndThePushIsRegistered() async throws {
        try await VietinHarness.with(tokenTTL: 120) { vtb in
            let callbackPort = try await Self.freePort()
            let manifest = try await manifest(vtb, callbackPort: callbackPort)
            let engine = try Engine(manifest, harness: vtb)

            let first = try await engine.plan(manifest)
            let portal = try change(first, Self.application)
            #expect(portal.action == .manual)
            let text = PlanRenderer.text(first)
            #expect(text.contains("Subscribe it to: [{api: \"erp-statement\", plan: \"Default\", rate_limit: \"100/minute\"}, {api: \"erp-transfer\", plan: \"Default\"}]"), "\(text)")
            #expect(text.contains("register callback URL http://127.0.0.1:\(callbackPort)/vietinbank/callback"))
            #expect(outcome(portal, "application") == .missing(reason: "POST /erp/v1/statement/inquiry answered HTTP 401, code 401: Invalid client id or secret."))
            #expect(try change(first, Self.consent).action == .interactive)

            try await vtb.register(callback: "http://127.0.0.1:\(callbackPort)/vietinbank/callback")
            try await vtb.subscribe("erp-statement")
            let second = try change(try await engine.plan(manifest), Self.application)
            #expect(second.action == .manual)
            guard case .verified? = outcome(second, "subscription erp-statement") else { Issue.record("\(second)"); return }
            #expect(outcome(second, "subscription erp-transfer") == .missing(reason: "POST /erp/v1/account/benAcctInq answered HTTP 401, code 401: Client id not registered."))

            try await vtb.subscribe("erp-transfer")
            let third = try change(try await engine.plan(manifest), Self.application)
            #expect(third.probe?.missing.isEmpty == true && third.probe?.verified.count == 3, "\(third)")
            #expect(third.action == .manual && third.reason?.contains("needs a person's confirmation: plans (erp-statement Default, erp-transfer Default), callback URL") == true)
            try await engine.confirm(try #require(manifest.resources.first { $0.address == Self.application }), in: manifest)

            let code = Kept<String?>(nil)
            let person = Kept<Task<Int, any Error>?>(nil)
            let report = try await engine.apply(manifest) { event in
                guard case .personStep(let change, let step) = event, change.address == Self.consent else { return }
                person.value = Task { try await Self.consentAsTheCustomer(vtb, url: step.url, code: code) }
            }
            #expect(try await person.value?.value == 200, "the loopback callback answers the browser")
            #expect(report.failed.isEmpty && report.waiting.isEmpty, "\(report.failed) \(report.waiting)")
            #expect(report.applied.contains(Self.consent))

            let registrations = try await vtb.call(.GET, "/sandbox/statement-registrations", gateway: nil)
            let registered = try #require((registrations.json["registrations"] as? [[String: Any]])?.first)
            #expect(registered["account"] as? String == "108000123456" && registered["cronExpress"] as? String == "0 0 * * *")

            let converged = try await engine.plan(manifest)
            #expect(try PlanVerdict(plan: converged, violations: [], forced: false).planExitCode(detailed: true) == 0, "\(PlanRenderer.text(converged))")
            #expect(PlanRenderer.text(converged).contains("✓ vtb.applications.erp is verified"))
            #expect(converged.notes["vtb"]?.contains { $0.contains("statement_push") && $0.contains("cannot be seen") } == true)

            let before = engine.store.keptSecrets.load(Self.consent)
            vtb.clock.advance(by: 200)
            let refreshed = try await engine.plan(manifest)
            #expect(!refreshed.hasChanges, "an expired access token is refreshed without a person")
            let after = engine.store.keptSecrets.load(Self.consent)
            #expect(after["access_token"] != before["access_token"] && after["refresh_token"] != before["refresh_token"])

            try Self.expectNoSecrets(engine, tokens: [before, after], code: code.value)
        }
    }

    @Test func aPastedRedirectIsCheckedAndARefusedRefreshMakesTheConsentAStepAgain() async throws {
        try await VietinHarness.with(tokenTTL: 120) { vtb in
            let callback = "https://app.example.com/vietinbank/callback"
            let manifest = try await manifest(vtb, callback: callback)
            try await vtb.register(callback: callback)
            try await vtb.subscribe("erp-statement")
            try await vtb.subscribe("erp-transfer")
            let engine = try Engine(manifest, harness: vtb)
            let url = Kept<String?>(nil)
            let waiting = try await engine.apply(manifest, wait: .zero) { event in
                if case .personStep(let change, let step) = event, change.address == Self.consent { url.value = step.url }
            }
            #expect(waiting.waiting.contains(Self.consent))
            let authorize = try #require(url.value)
            let page = try await vtb.call(.GET, authorize, gateway: nil)
            let approve = try #require(page.json["approve"] as? String)
            let location = try #require(try await vtb.call(.POST, approve, gateway: nil).header("Location"))
            let consent = { (redirect: String) in
                try await ConsentOperation(ConsentRequest(address: Self.consent.description, redirect: redirect)).run(in: engine.workspace(manifest))
            }
            await #expect(throws: (any Error).self, "another authorization's state is refused") {
                _ = try await consent(location.replacingOccurrences(of: "state=", with: "state=x"))
            }
            // A journal that cannot be written stops the consent before the code is exchanged: the code still works after.
            let journal = engine.store.directory.appendingPathComponent("journal")
            try FileManager.default.moveItem(at: journal, to: engine.store.directory.appendingPathComponent("journal.kept"))
            try Data().write(to: journal)
            await #expect(throws: ReconcilerError.self) { _ = try await consent(location) }
            try FileManager.default.removeItem(at: journal)
            try FileManager.default.moveItem(at: engine.store.directory.appendingPathComponent("journal.kept"), to: journal)
            let done = try await consent(location)
            #expect(done.remoteID == "\(VietinHarness.clientID)/finance")
            #expect(try engine.store.journalEntries().suffix(2).map { "\($0.entry.operation ?? "") \($0.entry.entry)" } == ["consent intent", "consent outcome"])
            #expect(try change(try await engine.plan(manifest), Self.consent).action == .noop)

            var kept = engine.store.keptSecrets.load(Self.consent)
            kept["refresh_token"] = Sensitive("revoked-refresh-token")
            try engine.store.keptSecrets.save(kept, for: Self.consent)
            vtb.clock.advance(by: 200)
            #expect(try change(try await engine.plan(manifest), Self.consent).action == .interactive, "a refused refresh needs a person again")
            #expect(engine.store.keptSecrets.load(Self.consent).isEmpty)
        }
    }

    /// Opens the authorization URL, approves as the customer, follows the redirect to the loopback callback.
    static func consentAsTheCustomer(_ vtb: VietinHarness, url: String, code: Kept<String?>) async throws -> Int {
        let page = try await vtb.call(.GET, url, gateway: nil)
        let approve = try #require(page.json["approve"] as? String, "\(page.raw)")
        let location = try #require(try await vtb.call(.POST, approve, gateway: nil).header("Location"))
        code.value = URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value
        let response = try await SandboxTransport.http.execute(.init(url: location), timeout: .seconds(10))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
        #expect(body.contains("You may close this window"))
        return Int(response.status.code)
    }

    /// No client secret, private key, authorization code, access or refresh token in state, plan files, the journal
    /// or anything rendered; the files holding secrets are readable by their owner only.
    static func expectNoSecrets(_ engine: Engine, tokens: [[String: Sensitive]], code: String?) throws {
        let key = try String(contentsOf: VietinHarness.keyFile, encoding: .utf8)
        var secrets = [VietinHarness.clientSecret] + key.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
        secrets += tokens.flatMap { [$0["access_token"]?.revealed, $0["refresh_token"]?.revealed] }.compactMap { $0 }
        secrets += [try #require(code)]
        var texts = engine.output.value
        let folder = engine.store.directory
        for file in try FileManager.default.subpathsOfDirectory(atPath: folder.path) where !file.hasPrefix("secrets") {
            if let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) { texts.append(text) }
        }
        #expect(texts.count > 10)
        for secret in secrets {
            #expect(!texts.contains { $0.contains(secret) }, "a secret leaked: \(secret.prefix(6))…")
        }
        for file in [engine.store.keptSecrets.file, engine.store.secrets.file] where FileManager.default.fileExists(atPath: file.path) {
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file.path)")
        }
    }

    static func freePort() async throws -> Int {
        let probe = try await LoopbackRedirectReceiver.start(host: "127.0.0.1", port: 0, path: "/", page: "")
        await probe.close()
        return probe.port
    }
}

/// A value several tasks read and write, under a lock.
final class Kept<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) {
        stored = value
    }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

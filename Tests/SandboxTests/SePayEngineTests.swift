import Banks
import Foundation
import PlanModel
import Reconciler
import Synchronization
import Testing
import ManifestLanguage
import Rendering

/// The engine (planner, applier, SePay Bank Hub provider) against the SePay simulator, end to end.
@Suite("SePay Bank Hub: engine against the simulator")
struct SePayEngineTests {
    func manifest(_ harness: SePayHarness, webhook: String) throws -> Manifest {
        try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: """
            version: 1
            providers:
              sepay:
                type: sepay-bankhub
                endpoint: \(harness.root)
                client_id: \(SePayHarness.clientID)
                client_secret: \(SePayHarness.clientSecret)
            sepay:
              companies:
                acme:
                  full_name: ACME Trading JSC
                  short_name: ACME
                  configuration: { payment_code: "on", payment_code_prefix: DH, transaction_amount: Unlimited }
              webhook: { url: "\(webhook)", secret: hook-secret-9876, allow_events: ["*"] }
              merchant_config: { transaction_whitelist_remark_keywords: [ACME] }
              bank_links:
                acme-main: { company: acme, completion_redirect_uri: "https://app.example.com/linked" }
            """)])
    }

    struct Engine {
        let providers: [String: any Provider]
        let store: StateStore

        init(_ manifest: Manifest) throws {
            providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil)
            store = StateStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("provision-sepay-\(UUID().uuidString)"))
        }

        func plan(_ manifest: Manifest) async throws -> Plan {
            try await PlanOperation(PlanRequest()).run(in: .testing(manifest, providers: providers, store: store)).plan
        }

        func apply(
            _ manifest: Manifest, wait: Duration = .zero, allowDelete: Bool = false, onEvent: @escaping @Sendable (ApplyEvent) -> Void = { _ in }
        ) async throws -> ApplyReport {
            let request = ApplyRequest(allowDelete: allowDelete, waitForPeople: wait, approval: .given, pollInterval: .milliseconds(50))
            let result = try await ApplyOperation(request).run(in: .testing(manifest, providers: providers, store: store)) { event in
                if case .step(let step) = event { onEvent(step) }
            }
            return try #require(result.report)
        }
    }

    @Test func aWebhookSecretChangeShowsItsFingerprintAndNoCharacterOfEitherSecret() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        // Letters past f only, so no four of them can happen to appear in a hex fingerprint.
        let old = "qzxv-mjrt-plwn-gyus", new = "tsqm-wzyk-nrvx-pjlh"
        try await SePayHarness.with { harness in
            let text = { (secret: String) in
                try ManifestParser(catalog: BankRegistry.all.catalog, environment: ["HOOK_SECRET": secret]).parse([ManifestSource(path: "bank.yaml", text: """
                    version: 1
                    providers:
                      sepay: { type: sepay-bankhub, endpoint: \(harness.root), client_id: \(SePayHarness.clientID), client_secret: \(SePayHarness.clientSecret) }
                    sepay:
                      webhook: { url: "\(receiver.url)", secret: "${env:HOOK_SECRET}", allow_events: ["*"] }
                    """)])
            }
            let engine = try Engine(try text(old))
            let applied = try await engine.apply(try text(old))
            #expect(applied.applied.map(\.description) == ["sepay.webhook"], "\(applied)")

            let plan = try await engine.plan(try text(new))
            #expect(plan.changes.map { "\($0.address) \($0.action.rawValue)" } == ["sepay.webhook update"])
            let outputs = [PlanRenderer.text(plan), PlanRenderer.markdown(plan), PlanRenderer.json(plan)]
            for secret in [old, new] {
                let characters = Array(secret)
                for start in 0...(characters.count - 4) {
                    let piece = String(characters[start..<(start + 4)])
                    #expect(outputs.allSatisfy { !$0.contains(piece) }, "\(piece) of a secret is shown:\n\(outputs[0])")
                }
            }
            #expect(outputs[0].contains("secret: (sensitive) → (sensitive, fingerprint "), "\(outputs[0])")
            let again = try await engine.plan(try text(new))
            #expect(PlanRenderer.text(again) == outputs[0], "the fingerprint is the same for the same secret, state and credentials")
        }
    }

    @Test func companyWebhookAndBankLinkConvergeAndTheReceiverGetsTheEvents() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        try await SePayHarness.with(tokenTTL: 2) { harness in
            let manifest = try manifest(harness, webhook: receiver.url)
            let engine = try Engine(manifest)
            let first = try await engine.plan(manifest)
            #expect(first.changes.map { "\($0.address) \($0.action.rawValue)" } == [
                "sepay.companies.acme create", "sepay.merchant_config update", "sepay.webhook create", "sepay.bank_links.acme-main interactive",
            ], "\(PlanRenderer.text(first))")

            // The simulated person completes the hosted page as soon as apply shows it.
            let completions = Mutex<[Task<Int, any Error>]>([])
            let report = try await engine.apply(manifest, wait: .seconds(20)) { event in
                guard case .personStep(_, let step) = event, let token = step.url.split(separator: "/").last.map(String.init) else { return }
                completions.withLock { $0.append(Task { try await harness.complete(token).status }) }
            }
            for task in completions.withLock({ $0 }) {
                #expect(try await task.value == 303, "the hosted page sends the person on to completion_redirect_uri")
            }
            #expect(report.failed.isEmpty && report.waiting.isEmpty, "\(report)")
            #expect(report.applied.map(\.description).contains("sepay.bank_links.acme-main"))

            let second = try await engine.plan(manifest)
            #expect(!second.hasChanges, "\(PlanRenderer.text(second))")

            await harness.sandbox.waitForSePayWebhooksIdle()
            let events = await receiver.received.items
            #expect(events.allSatisfy { $0.secret == "hook-secret-9876" })
            let names = events.compactMap(\.event)
            #expect(names.contains("LINK_TOKEN_CREATED"))
            #expect(names.contains("BANK_ACCOUNT_LINKED"))
            #expect(names.contains("LINK_SESSION_COMPLETED"))
        }
    }

    @Test func aTokenThatExpiredAtTheBankIsRenewedAndTheCallRetried() async throws {
        try await SePayHarness.with(tokenTTL: 100) { harness in
            let manifest = try manifest(harness, webhook: "https://hooks.example.com/bankhub")
            let engine = try Engine(manifest)
            _ = try await engine.plan(manifest)
            harness.clock.advance(by: 200)
            let report = try await engine.apply(manifest)
            #expect(report.failed.isEmpty, "\(report.failed)")
            #expect(report.applied.map(\.description).contains("sepay.companies.acme"))
        }
    }

    @Test func anExpiredLinkTokenIsReplacedOnTheNextRun() async throws {
        try await SePayHarness.with(linkTokenTTL: 60) { harness in
            let manifest = try manifest(harness, webhook: "https://hooks.example.com/bankhub")
            let engine = try Engine(manifest)
            let urls = Mutex<[String]>([])
            let record: @Sendable (ApplyEvent) -> Void = { event in
                if case .personStep(_, let step) = event { urls.withLock { $0.append(step.url) } }
            }
            let first = try await engine.apply(manifest, onEvent: record)
            #expect(first.waiting.map(\.description) == ["sepay.bank_links.acme-main"])
            _ = try await engine.apply(manifest, onEvent: record)
            harness.clock.advance(by: 120)
            _ = try await engine.apply(manifest, onEvent: record)
            let seen = urls.withLock { $0 }
            #expect(seen.count == 3)
            #expect(seen[0] == seen[1], "an active link token is reused")
            #expect(seen[1] != seen[2], "an expired link token is replaced")
        }
    }

    @Test func aLinkRemovedFromTheManifestIsUnlinkedByAPerson() async throws {
        try await SePayHarness.with { harness in
            let linked = try manifest(harness, webhook: "https://hooks.example.com/bankhub")
            let engine = try Engine(linked)
            let steps = Mutex<[PersonStep]>([])
            let record: @Sendable (ApplyEvent) -> Void = { event in
                if case .personStep(_, let step) = event { steps.withLock { $0.append(step) } }
            }
            _ = try await engine.apply(linked, onEvent: record)
            let linkToken = try #require(steps.withLock { $0.last }?.url.split(separator: "/").last.map(String.init))
            #expect(try await harness.complete(linkToken).status == 303)
            #expect(try await engine.apply(linked).applied.map(\.description) == ["sepay.bank_links.acme-main"])

            let unlinked = try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: """
                version: 1
                providers:
                  sepay: { type: sepay-bankhub, endpoint: "\(harness.root)", client_id: \(SePayHarness.clientID), client_secret: \(SePayHarness.clientSecret) }
                sepay:
                  companies:
                    acme: { full_name: ACME Trading JSC, short_name: ACME, configuration: { payment_code: "on", payment_code_prefix: DH, transaction_amount: Unlimited } }
                """)])
            let kept = try await engine.plan(unlinked)
            #expect(kept.changes.first { $0.address.kind == "bank_links" }?.action == .orphan)

            let waiting = try await engine.apply(unlinked, allowDelete: true, onEvent: record)
            #expect(waiting.failed.isEmpty, "\(waiting.failed)")
            #expect(waiting.waiting.map(\.description) == ["sepay.bank_links.acme-main"])
            let unlinkToken = try #require(steps.withLock { $0.last }?.url.split(separator: "/").last.map(String.init))
            #expect(unlinkToken != linkToken)
            let state = try engine.store.load()
            #expect(state.resources["sepay.bank_links.acme-main"]?.remoteID != nil, "tracked until the person has unlinked it")

            let done = try await harness.complete(unlinkToken)
            #expect(done.status == 200 || done.status == 303, "\(done.raw)")
            let finished = try await engine.apply(unlinked, allowDelete: true)
            #expect(finished.applied.map(\.description) == ["sepay.bank_links.acme-main"])
            #expect(try engine.store.load().resources["sepay.bank_links.acme-main"] == nil)
        }
    }
}

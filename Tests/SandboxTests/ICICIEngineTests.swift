import Banks
import Foundation
import PlanModel
import Reconciler
import Testing
import ManifestLanguage
import Rendering

/// The engine (planner, applier, ICICI provider) against the embedded ICICI sandbox, end to end: portal steps verified
/// by probe, the account plan confirmed, the CIB registration requested encrypted and polled until approved.
@Suite("ICICI API Banking: engine against the simulator")
struct ICICIEngineTests {
    static let apikey = "icici-e2e-key-\(UUID().uuidString.prefix(8))"
    static let application = ResourceAddress(instance: "icici", kind: "applications", name: "payments")
    static let accountPlan = ResourceAddress(instance: "icici", kind: "account_plan", name: nil)
    static let registration = ResourceAddress(instance: "icici", kind: "cib_registrations", name: "ops")

    func manifest(_ icici: ICICIHarness) async throws -> Manifest {
        let key = try String(contentsOf: ICICIHarness.keyFile, encoding: .utf8)
        let certificate = try await icici.bankCertificate()
        return try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: """
            version: 1
            providers:
              icici:
                type: icici-api-banking
                endpoint: sandbox
                api_key: \(Self.apikey)
                oaep_hashing: SHA1
                bank_certificate: |
            \(VietinBankEngineTests.indented(certificate))
                client_private_key: |
            \(VietinBankEngineTests.indented(key))
            icici:
              account_plan: { plan: Standard }
              applications:
                payments: { name: acme-payments, platform: Web, apis: [CIB Registration, CIB Registration Status] }
              cib_registrations:
                ops: { corp_id: CIBNEXT, user_id: USER1, aggr_id: AGGR0001, aggr_name: ACME, urn: URN0001 }
            """)])
    }

    func change(_ plan: Plan, _ address: ResourceAddress) throws -> Change {
        try #require(plan.changes.first { $0.address == address })
    }

    func outcome(_ change: Change, _ part: String) -> ProbeOutcome? {
        change.probe?.parts.first { $0.part.hasPrefix(part) }?.outcome
    }

    @Test func portalStepsAreProbedTheRegistrationIsApprovedAndThePlanConverges() async throws {
        try await ICICIHarness.with { icici in
            let manifest = try await manifest(icici)
            let engine = try VietinBankEngineTests.Engine(manifest, directory: icici.directory, base: icici.base)

            let first = try await engine.plan(manifest)
            let order = first.changes.map(\.address)
            #expect(order == [Self.accountPlan, Self.application, Self.registration], "\(order)")
            #expect(try change(first, Self.application).action == .manual)
            #expect(outcome(try change(first, Self.application), "application") == .missing(reason: "POST /api/Corporate/CIB/v1/Registration answered HTTP 401, code 401: Unauthorized: invalid or disabled API key"))
            #expect(try change(first, Self.accountPlan).action == .manual)
            #expect(try change(first, Self.registration).action == .interactive)
            #expect(PlanRenderer.text(first).contains("waiting for corporate user USER1 of CIBNEXT to approve in CIB"), "\(PlanRenderer.text(first))")

            try await icici.application(Self.apikey, apis: ["CIB Registration"])
            let second = try change(try await engine.plan(manifest), Self.application)
            guard case .verified? = outcome(second, "API CIB Registration") else { Issue.record("\(second)"); return }
            #expect(outcome(second, "API CIB Registration Status") == .missing(
                reason: "POST /api/Corporate/CIB/v1/RegistrationStatus answered HTTP 403, code 403: Unauthorized API Access: the application has not selected this API"))

            try await icici.operate("/applications/\(Self.apikey)/apis", ["api": "CIB Registration Status", "plan": "Sandbox"])
            let third = try change(try await engine.plan(manifest), Self.application)
            #expect(third.probe?.missing.isEmpty == true && third.probe?.verified.count == 3, "\(third)")
            #expect(third.reason?.contains("needs a person's confirmation: name acme-payments, platform Web") == true, "\(third)")
            for address in [Self.application, Self.accountPlan] {
                try await engine.confirm(try #require(manifest.resources.first { $0.address == address }), in: manifest)
            }

            let approved = Kept<Task<String?, any Error>?>(nil)
            let report = try await engine.apply(manifest) { event in
                guard case .personStep(let change, let step) = event, change.address == Self.registration else { return }
                #expect(step.url.contains("corporate user USER1 of CIBNEXT"))
                approved.value = Task { try await icici.operate("/cib/approve", ["CORPID": "CIBNEXT", "USERID": "USER1"])["Status"] as? String }
            }
            #expect(try await approved.value?.value == "Registered")
            #expect(report.failed.isEmpty && report.waiting.isEmpty && report.applied.contains(Self.registration), "\(report.failed) \(report.waiting)")

            let converged = try await engine.plan(manifest)
            #expect(try PlanVerdict(plan: converged, violations: [], forced: false).planExitCode(detailed: true) == 0, "\(PlanRenderer.text(converged))")
            try Self.expectNoSecrets(engine, icici: icici)
        }
    }

    @Test func aRegistrationICICIAlreadyHoldsIsAdoptedAfterAStatusCheckAndDeregisteredWhenRemoved() async throws {
        try await ICICIHarness.with { icici in
            let manifest = try await manifest(icici)
            try await icici.application(Self.apikey, apis: ["CIB Registration", "CIB Registration Status", "CIB Deregistration"])
            let engine = try VietinBankEngineTests.Engine(manifest, directory: icici.directory, base: icici.base)
            let provider = try #require(engine.providers["icici"])
            let resource = try #require(manifest.resources.first { $0.address == Self.registration })
            let change = try change(try await engine.plan(manifest), Self.registration)
            let context = ApplyContext(remoteIDs: [:])
            _ = try await provider.begin(change, resource: resource, context: context, pending: .none)
            let again = try await provider.begin(change, resource: resource, context: context, pending: .none)
            #expect(again?.record["adopted_with_status"] == .string("Pending for Self Approval"), "a duplicate is not an error")

            try await icici.operate("/cib/approve", ["CORPID": "CIBNEXT", "USERID": "USER1"])
            #expect(try await provider.poll(resource, context: context)?.remoteID == "CIBNEXT/USER1")
            let removal = Change(address: Self.registration, action: .delete, remoteID: "CIBNEXT/USER1", before: resource.attributes)
            #expect(try await provider.delete(removal, context: context, pending: .none) == nil)
            let listed = try await icici.transport.send(.GET, "/icici/sandbox/cib/registrations", headers: [], body: nil)
            #expect(String(buffer: listed.body).contains("Deregistered"))
            #expect(BankRegistry.all.catalog.kind("cib_registrations", of: "icici-api-banking")?.deletable == true)
        }
    }

    @Test func aRegistrationTheCorporateUserRejectsEndsTheWaitAtOnceAndTheNextApplyRegistersAnew() async throws {
        try await ICICIHarness.with { icici in
            let manifest = try await manifest(icici)
            try await icici.application(Self.apikey, apis: ["CIB Registration", "CIB Registration Status"])
            let engine = try VietinBankEngineTests.Engine(manifest, directory: icici.directory, base: icici.base)
            let rejected = Kept<Task<String?, any Error>?>(nil)
            let report = try await engine.apply(manifest, wait: .seconds(60)) { event in
                guard case .personStep(let change, _) = event, change.address == Self.registration else { return }
                rejected.value = Task { try await icici.operate("/cib/reject", ["CORPID": "CIBNEXT", "USERID": "USER1"])["Status"] as? String }
            }
            #expect(try await rejected.value?.value == "REJECTED")
            #expect(!report.waiting.contains(Self.registration), "the wait ends once ICICI says REJECTED: \(report.waiting)")
            let failure = try #require(report.failed.first { $0.address == Self.registration })
            #expect(failure.message.contains("status REJECTED") && failure.message.contains("rejected the registration"), "\(failure.message)")
            #expect(failure.message.contains("run provision apply to send a new registration"))

            let again = try await engine.apply(manifest, wait: .zero) { _ in }
            #expect(again.waiting.contains(Self.registration) && again.failed.isEmpty, "\(again.failed)")
            let listed = try await icici.transport.send(.GET, "/icici/sandbox/cib/registrations", headers: [], body: nil)
            let statuses = (try JSONSerialization.jsonObject(with: Data(String(buffer: listed.body).utf8)) as? [String: Any])?["registrations"] as? [[String: Any]]
            #expect(statuses?.compactMap { $0["Status"] as? String } == ["REJECTED", "Pending for Self Approval"])
        }
    }

    /// No API key, private key (the client's or the sandbox bank's) or envelope key in what the engine wrote or printed.
    static func expectNoSecrets(_ engine: VietinBankEngineTests.Engine, icici: ICICIHarness) throws {
        let keys = try String(contentsOf: ICICIHarness.keyFile, encoding: .utf8)
            + (try String(contentsOf: icici.directory.appendingPathComponent("icici-bank-key.pem"), encoding: .utf8))
        let secrets = [apikey] + keys.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
        var texts = engine.output.value
        let folder = engine.store.directory
        for file in try FileManager.default.subpathsOfDirectory(atPath: folder.path) {
            if let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) { texts.append(text) }
        }
        #expect(texts.count > 10)
        for secret in secrets {
            #expect(!texts.contains { $0.contains(secret) }, "a secret leaked: \(secret.prefix(6))…")
        }
        #expect(!texts.contains { $0.contains(#""encryptedKey":""#) || $0.contains("EFFECTIVEBAL") }, "no envelope or decrypted answer is kept")
    }
}

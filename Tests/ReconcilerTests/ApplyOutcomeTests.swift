import Foundation
import PlanModel
@testable import Reconciler
import Testing

/// What an apply keeps of its steps: a bank's rejection stays structured into the report and the journal,
/// and the secrets of a person's step go to the secret store, never to state.
struct ApplyOutcomeTests {
    static let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)
    static let address = ResourceAddress(instance: "bank", kind: "links", name: "main")

    /// Refuses every create with a bank error; starts a person's step holding a token.
    struct Bank: Provider {
        let name = "bank"
        let seenPending: @Sendable (PendingStep) -> Void

        func refresh(_ resources: [Resource], state: [ResourceAddress: StateEntry]) async throws -> [ResourceAddress: Observation] { [:] }

        func apply(_ change: Change, resource: Resource, context: ApplyContext) async throws -> AppliedResource {
            throw ProviderError(
                .rejected, bank: "Test Bank", request: "POST https://bank.example/items", status: 503, code: "E42",
                message: "busy", requestID: "req-7", mayHavePartlyApplied: true)
        }

        func begin(_ change: Change, resource: Resource, context: ApplyContext, pending: PendingStep) async throws -> PersonStep? {
            seenPending(pending)
            return PersonStep(url: "https://bank.example/hosted/t", expiresAt: nil, record: ["token_id": .string("t-1")],
                              secrets: ["token": Sensitive("s3cret-token-value")])
        }
    }

    func setup(_ action: Action) -> (Manifest, Plan, StateStore) {
        let resource = Resource(address: Self.address, providerType: "test", capability: action == .interactive ? .interactive : .managed,
                                attributes: ["label": .string("x")], location: Self.here)
        let store = StateStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("provision-outcome-\(UUID().uuidString)"))
        return (Manifest(version: 1, providers: [], resources: [resource]),
                Plan(changes: [Change(address: Self.address, action: action, after: resource.attributes)], providers: ["bank": "test"]), store)
    }

    @Test func aRejectionKeepsItsFieldsInTheReportAndTheJournal() async throws {
        let (manifest, plan, store) = setup(.create)
        var state = State()
        let report = try await Applier(providers: ["bank": Bank(seenPending: { _ in })], store: store)
            .apply(plan, manifest: manifest, state: &state)
        let failure = try #require(report.failed.first)
        #expect(failure.providerError?.requestID == "req-7")
        #expect(failure.providerError?.mayHavePartlyApplied == true)
        let files = try FileManager.default.contentsOfDirectory(atPath: store.directory.appendingPathComponent("journal").path)
        let journal = store.directory.appendingPathComponent("journal").appendingPathComponent(try #require(files.first))
        let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n")
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        #expect(outcome["outcome"] as? String == "failed")
        #expect(outcome["request_id"] as? String == "req-7")
        #expect(outcome["status"] as? Int == 503)
        #expect(outcome["code"] as? String == "E42")
        #expect(outcome["bank"] as? String == "Test Bank")
        #expect(outcome["may_have_partly_applied"] as? Bool == true)
    }

    @Test func aPersonStepsSecretsGoToTheSecretStoreAndComeBackOnTheNextRun() async throws {
        let (manifest, plan, store) = setup(.interactive)
        var state = State()
        _ = try await Applier(providers: ["bank": Bank(seenPending: { _ in })], store: store).apply(plan, manifest: manifest, state: &state)
        let stateText = try String(contentsOf: store.file, encoding: .utf8)
        #expect(!stateText.contains("s3cret-token-value"))
        #expect(stateText.contains("t-1"))
        let secretsText = try String(contentsOf: store.secrets.file, encoding: .utf8)
        #expect(secretsText.contains("s3cret-token-value"))
        let mode = try FileManager.default.attributesOfItem(atPath: store.secrets.file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let seen = SeenPending()
        _ = try await Applier(providers: ["bank": Bank(seenPending: { seen.store($0) })], store: store).apply(plan, manifest: manifest, state: &state)
        #expect(seen.pending?.secrets["token"]?.revealed == "s3cret-token-value")
        #expect(seen.pending?.record["token_id"] == .string("t-1"))
    }

    final class SeenPending: @unchecked Sendable {
        private let lock = NSLock()
        private var value: PendingStep?
        var pending: PendingStep? { lock.withLock { value } }
        func store(_ pending: PendingStep) { lock.withLock { value = pending } }
    }
}

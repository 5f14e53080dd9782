import Foundation
import PlanModel

extension RunbookRenderer {
    struct Document: Encodable {
        var environment: String?
        var manifest: String
        var summary: String
        var done: Int
        var total: Int
        var unverified: [Unverified]
        var steps: [Step]
    }

    struct Unverified: Encodable {
        var provider: String
        var reason: String
    }

    struct Step: Encodable {
        var number: Int
        var address: String
        var kind: String
        var provider: String?
        var owner: String?
        var instructions: [String]
        var status: String
        var headline: String
        var verified: Bool
        var evidence: [String]
        var confirmation: Confirmation?
        var waitsFor: [String]
        var record: String
        var unblocks: [String]

        enum CodingKeys: String, CodingKey {
            case number, address, kind, provider, owner, instructions, status, headline, verified, evidence, confirmation, record, unblocks
            case waitsFor = "waits_for"
        }
    }

    /// The runbook as one JSON object (keys sorted, pretty-printed, ending in a newline): `steps` in order, each
    /// with `status` (`done`, `pending`, `waiting`), `verified`, `evidence`, `confirmation`, `record` and `unblocks`.
    public static func json(_ runbook: Runbook) -> String {
        let document = Document(
            environment: runbook.environment, manifest: runbook.manifestPath, summary: runbook.summary, done: runbook.done,
            total: runbook.steps.count, unverified: runbook.unverified.map { Unverified(provider: $0.provider, reason: $0.reason) },
            steps: runbook.steps.enumerated().map { index, step in
                Step(
                    number: index + 1, address: step.address, kind: step.kind.rawValue, provider: step.provider, owner: step.owner,
                    instructions: step.instructions, status: step.status.state.rawValue, headline: step.status.headline,
                    verified: step.status.verified, evidence: step.status.evidence, confirmation: step.status.confirmation,
                    waitsFor: step.status.waitsFor, record: step.record, unblocks: step.unblocks)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return PlanRenderer.jsonSafe(String(decoding: data, as: UTF8.self)) + "\n"
    }
}

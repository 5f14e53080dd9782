import PlanModel
import Foundation

extension PlanRenderer {
    /// The plan's JSON form, documented in docs/plan-format.md; keys sorted, secrets as `(sensitive)`.
    public static func json(_ plan: Plan) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(PlanDocument(plan))) ?? Data("{}".utf8)
        return jsonSafe(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// JSON text with every scalar a terminal would act on that the encoder leaves as it is (C1 controls, DEL,
    /// U+2028/2029, bidirectional controls) written as a `\uXXXX` escape: the same JSON, safe to print.
    public static func jsonSafe(_ json: String) -> String {
        // Below 0x20 the encoder escapes within strings; outside them a line feed is layout.
        let unsafe = { (scalar: Unicode.Scalar) in scalar.value >= 0x20 && TerminalEscape.isUnsafe(scalar) }
        guard json.unicodeScalars.contains(where: unsafe) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if unsafe(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: false)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}

/// The JSON document of a plan. `format_version` changes only when a field's meaning changes.
struct PlanDocument: Encodable {
    static let formatVersion = "1.0"

    struct AttributeDocument: Encodable {
        var name: String
        var before: Value?
        var after: Value?
        var forcesReplacement: Bool

        enum CodingKeys: String, CodingKey {
            case name, before, after
            case forcesReplacement = "forces_replacement"
        }

        init(_ change: AttributeChange) {
            name = change.name
            before = change.before
            after = change.after
            forcesReplacement = change.forcesReplacement
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
            try container.encode(forcesReplacement, forKey: .forcesReplacement)
        }
    }

    struct ResourceChangeDocument: Encodable {
        var address: String
        var provider: String
        var providerType: String
        var kind: String
        var name: String?
        var action: String
        var reason: String?
        var remoteID: String?
        var dependsOn: [String]
        var before: [String: Value]?
        var after: [String: Value]?
        var attributeChanges: [AttributeDocument]
        var probe: ProbeDocument?
        var reasons: [ReasonDocument]
        var replacement: String?
        var movedFrom: String?
        var waitsFor: [String]

        enum CodingKeys: String, CodingKey {
            case address, provider, kind, name, action, reason, before, after, probe, reasons, replacement
            case movedFrom = "moved_from"
            case waitsFor = "waits_for"
            case providerType = "provider_type"
            case remoteID = "remote_id"
            case dependsOn = "depends_on"
            case attributeChanges = "attribute_changes"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(address, forKey: .address)
            try container.encode(provider, forKey: .provider)
            try container.encode(providerType, forKey: .providerType)
            try container.encode(kind, forKey: .kind)
            try container.encode(name, forKey: .name)
            try container.encode(action, forKey: .action)
            try container.encode(reason, forKey: .reason)
            try container.encode(remoteID, forKey: .remoteID)
            try container.encode(dependsOn, forKey: .dependsOn)
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
            try container.encode(attributeChanges, forKey: .attributeChanges)
            try container.encodeIfPresent(probe, forKey: .probe)
            if !reasons.isEmpty { try container.encode(reasons, forKey: .reasons) }
            try container.encodeIfPresent(replacement, forKey: .replacement)
            try container.encodeIfPresent(movedFrom, forKey: .movedFrom)
            if !waitsFor.isEmpty { try container.encode(waitsFor, forKey: .waitsFor) }
        }
    }

    /// One reason from the closed set (`code`), with what it concerns.
    struct ReasonDocument: Encodable {
        var code: String
        var attributes: [String]?
        var remoteID: String?
        var from: String?
        var others: [String]?

        enum CodingKeys: String, CodingKey {
            case code, attributes, from, others
            case remoteID = "remote_id"
        }

        init(_ reason: ChangeReason) {
            code = reason.code
            switch reason {
            case .forcesReplacement(let names), .attributesDiffer(let names): attributes = names
            case .goneAtBank(let id), .notInState(let id): remoteID = id
            case .moved(let address): from = address.description
            case .severalMatch(let ids), .duplicatedAtBank(let ids): others = ids
            case .contested(let addresses): others = addresses.map(\.description)
            case .leftManifest, .protected, .deletesNotAllowed: break
            }
        }
    }

    /// A probed manual step: each part with `verified`, `missing`, `confirmed` or `needs_confirmation`.
    struct ProbeDocument: Encodable {
        struct Part: Encodable {
            var part: String
            var status: String
            var detail: String?
        }

        var confirmed: Bool
        var parts: [Part]

        init(_ result: ProbeResult) {
            confirmed = result.confirmed
            parts = result.parts.map { part in
                switch part.outcome {
                case .verified(let evidence): Part(part: part.part, status: "verified", detail: evidence)
                case .missing(let reason): Part(part: part.part, status: "missing", detail: reason)
                case .needsConfirmation(let reason):
                    Part(part: part.part, status: result.confirmed ? "confirmed" : "needs_confirmation", detail: reason)
                }
            }
        }
    }

    struct StepDocument: Encodable {
        var address: String
        var action: String
        var steps: [String]
    }

    struct DriftDocument: Encodable {
        var address: String
        var gone: Bool
        var attributeChanges: [AttributeDocument]

        enum CodingKeys: String, CodingKey {
            case address, gone
            case attributeChanges = "attribute_changes"
        }
    }

    var formatVersion = PlanDocument.formatVersion
    var environment: String?
    var summary: [String: Int]
    var hasChanges: Bool
    var hasErrors: Bool
    var resourceChanges: [ResourceChangeDocument]
    var drift: [DriftDocument]
    var manualSteps: [StepDocument]
    var notes: [String: [String]]

    enum CodingKeys: String, CodingKey {
        case environment, summary, drift, notes
        case formatVersion = "format_version"
        case hasChanges = "has_changes"
        case hasErrors = "has_errors"
        case resourceChanges = "resource_changes"
        case manualSteps = "manual_steps"
    }

    init(_ plan: Plan) {
        environment = plan.environment
        summary = Dictionary(uniqueKeysWithValues: Action.allCases.map { ($0.rawValue, plan.count($0)) })
        hasChanges = plan.hasChanges
        hasErrors = plan.hasErrors
        resourceChanges = plan.changes.map { change in
            ResourceChangeDocument(
                address: change.address.description, provider: change.address.instance,
                providerType: plan.providers[change.address.instance] ?? "", kind: change.address.kind, name: change.address.name,
                action: change.action.rawValue, reason: change.reason, remoteID: change.remoteID,
                dependsOn: change.dependencies.map(\.description), before: change.before, after: change.after,
                attributeChanges: change.attributeChanges.map(AttributeDocument.init), probe: change.probe.map(ProbeDocument.init),
                reasons: change.reasons.map(ReasonDocument.init), replacement: change.replacement?.rawValue,
                movedFrom: change.movedFrom?.description, waitsFor: change.waitsFor.map(\.description))
        }
        drift = plan.drift.map { DriftDocument(address: $0.address.description, gone: $0.gone, attributeChanges: $0.attributeChanges.map(AttributeDocument.init)) }
        notes = plan.notes
        manualSteps = plan.changes.filter { !$0.steps.isEmpty }.map {
            StepDocument(address: $0.address.description, action: $0.action.rawValue, steps: $0.steps)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(environment, forKey: .environment)
        try container.encode(summary, forKey: .summary)
        try container.encode(hasChanges, forKey: .hasChanges)
        try container.encode(hasErrors, forKey: .hasErrors)
        try container.encode(resourceChanges, forKey: .resourceChanges)
        try container.encode(drift, forKey: .drift)
        try container.encode(manualSteps, forKey: .manualSteps)
        if !notes.isEmpty { try container.encode(notes, forKey: .notes) }
    }
}

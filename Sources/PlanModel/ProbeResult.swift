/// What a probe found about one part of a person's step, e.g. one API subscription of a portal application.
public enum ProbeOutcome: Sendable, Equatable {
    /// A call with the resource's own credentials showed the part is done; `evidence` says which call and answer.
    case verified(evidence: String)
    /// The bank's answer showed the part is not done; `reason` is the bank's own words.
    case missing(reason: String)
    /// No probe can see this part; a person records it with `provision confirm`.
    case needsConfirmation(reason: String)
}

/// One part of a manual resource and what the probe found about it.
public struct ProbedPart: Sendable, Equatable {
    /// What the part is, for people, e.g. `subscription erp-statement`.
    public var part: String
    public var outcome: ProbeOutcome

    public init(_ part: String, _ outcome: ProbeOutcome) {
        self.part = part
        self.outcome = outcome
    }
}

/// What refresh learned of a manual resource by probing it, and whether a person confirmed what no probe sees.
///
/// Invariant: the resource is done exactly when no part is missing and every part no probe can see is confirmed.
public struct ProbeResult: Sendable, Equatable {
    public var parts: [ProbedPart]
    /// A `provision confirm` is recorded for the resource's current attributes.
    public var confirmed: Bool

    public init(parts: [ProbedPart], confirmed: Bool = false) {
        self.parts = parts
        self.confirmed = confirmed
    }

    public var verified: [ProbedPart] { parts.filter { if case .verified = $0.outcome { true } else { false } } }
    public var missing: [ProbedPart] { parts.filter { if case .missing = $0.outcome { true } else { false } } }
    /// Parts no probe can see.
    public var unprobed: [ProbedPart] { parts.filter { if case .needsConfirmation = $0.outcome { true } else { false } } }

    public var isDone: Bool { missing.isEmpty && (confirmed || unprobed.isEmpty) }

    /// One line saying what was probed, what is missing and what a person confirmed or must confirm.
    public var summary: String {
        var parts: [String] = []
        if !verified.isEmpty { parts.append("verified by probe: " + verified.map(\.part).joined(separator: ", ")) }
        if !missing.isEmpty { parts.append("missing: " + missing.map(\.part).joined(separator: ", ")) }
        if !unprobed.isEmpty {
            let names = unprobed.map(\.part).joined(separator: ", ")
            parts.append(confirmed ? "confirmed by a person: \(names)" : "needs a person's confirmation: \(names)")
        }
        return parts.joined(separator: "; ")
    }

    /// The part as a plan line: a mark, the part, and what was found.
    public func line(_ part: ProbedPart) -> String {
        switch part.outcome {
        case .verified(let evidence): return "✓ \(part.part): verified by probe (\(evidence))"
        case .missing(let reason): return "✗ \(part.part): missing (\(reason))"
        case .needsConfirmation(let reason):
            return confirmed ? "✓ \(part.part): confirmed by a person" : "? \(part.part): needs a person's confirmation (\(reason))"
        }
    }
}

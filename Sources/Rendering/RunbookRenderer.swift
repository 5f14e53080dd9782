import PlanModel

/// Views of a `Runbook`: Markdown here, HTML and JSON beside it. Every format shows the same steps, in the same
/// order, with the same statuses, from the words this type gives them; text from banks, state and the manifest passes
/// through the escape of its medium.
public enum RunbookRenderer {
    /// The cap on one line of instructions or evidence, in characters.
    static let lineLimit = 2_000

    /// The runbook's title: `Runbook`, the environment and the manifest.
    static func title(_ runbook: Runbook) -> String {
        "Runbook" + (runbook.environment.map { " for \($0)" } ?? "") + " (\(runbook.manifestPath))"
    }

    /// The lines under a step's status: what shows it, and who confirmed it.
    static func details(_ status: RunbookStatus) -> [String] {
        status.evidence + (status.confirmationLine.map { [$0] } ?? [])
    }

    /// What a step unblocks, in words: for a gate, apply in its environment and what that apply would do.
    static func unblocks(_ step: RunbookStep, environment: String?) -> String? {
        guard step.kind == .gate else { return step.unblocks.isEmpty ? nil : step.unblocks.joined(separator: ", ") }
        let apply = "apply" + (environment.map { " in \($0)" } ?? "") + " (with the other gates)"
        return step.unblocks.isEmpty ? apply : apply + ": " + step.unblocks.joined(separator: ", ")
    }

    /// The line about providers whose statuses were not seen at the bank.
    static func unverified(_ provider: UnverifiedProvider) -> String {
        "\(provider.provider): statuses come from state and the manifest, unverified (\(provider.reason))"
    }

    /// The runbook as Markdown: the summary, then each step with its status, owner, instructions and record command.
    public static func markdown(_ runbook: Runbook) -> String {
        var out = "# \(MarkdownEscape.text(title(runbook), limit: lineLimit))\n\n**\(runbook.summary)**\n"
        for provider in runbook.unverified {
            out += "\n> ⚠️ \(MarkdownEscape.text(unverified(provider), limit: lineLimit))\n"
        }
        for (index, step) in runbook.steps.enumerated() {
            out += "\n## \(index + 1). \(MarkdownEscape.code(step.address)) · \(step.kind.label) · \(MarkdownEscape.text(step.status.headline))\n\n"
            if let owner = step.owner { out += "- **Owner:** \(MarkdownEscape.text(owner))\n" }
            out += "- **Status:** \(MarkdownEscape.text(step.status.headline))\n"
            out += details(step.status).map { "  - \(MarkdownEscape.text($0, limit: lineLimit))\n" }.joined()
            out += "- **Do:**\n" + step.instructions.enumerated().map { "  \($0.offset + 1). \(MarkdownEscape.text($0.element, limit: lineLimit))\n" }.joined()
            out += "- **Record:** \(MarkdownEscape.code(step.record, limit: lineLimit))\n"
            if let unblocks = unblocks(step, environment: runbook.environment) {
                out += "- **Unblocks:** \(MarkdownEscape.text(unblocks, limit: lineLimit))\n"
            }
        }
        return out
    }
}

import PlanModel
import Reconciler

/// An error as a terminal shows it: what a bank, a file or another process supplied is escaped and capped field by
/// field (`TerminalEscape.field`), so it stays on its line; the tool's own words keep their lines.
public enum ErrorText {
    /// - Parameter invocation: how the person ran provision; the commands an engine error suggests are written for it.
    public static func terminal(_ error: any Error, invocation: Invocation = Invocation()) -> String {
        switch error {
        case let rejection as ProviderError:
            return rejection.description(quoting: { TerminalEscape.field($0) })
        case let engine as ReconcilerError:
            return TerminalEscape.lines(engine.quoting { TerminalEscape.field($0) }.description(for: invocation))
        case let problems as ManifestError:
            return problems.problems.map { TerminalEscape.field($0.description, limit: PlanRenderer.lineLimit) }.joined(separator: "\n")
        default:
            return TerminalEscape.lines(String(describing: error))
        }
    }

    /// A failed step: the bank's rejection field by field, or the engine's message.
    public static func terminal(_ failure: StepFailure) -> String {
        if let rejection = failure.providerError { return terminal(rejection) }
        return TerminalEscape.lines(failure.message)
    }
}

import ArgumentParser
import Foundation
import PlanModel
import Reconciler

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write manifest YAML for a provider's live objects and record them in state, so an existing setup is adopted.",
        discussion: """
            Reads every object of the provider's kinds (or of --kinds) at the bank, writes YAML for those the manifest does \
            not declare (to --out or standard output; sorted, secrets as ${env:...} references) and adopts them, and the \
            declared ones state does not track yet, into state by their natural keys. Imported objects are recorded in \
            state only when --out is a file the manifest reads (a *.yaml file of its folder); then `provision plan` \
            afterwards shows no changes for them. A file that import did not write is never overwritten. Kinds the bank cannot list are named with what \
            to write by hand. Exit codes: 0 imported, 1 error.
            """)

    @Argument(help: "The provider instance to import, a name under providers:.")
    var provider: String

    @OptionGroup var options: ManifestOptions

    @Option(help: "Only these kinds, comma-separated (e.g. companies,bank_links); default: every kind of the provider.")
    var kinds: String?

    @Option(name: .customLong("out"), help: "Write the YAML to this file (rewritten whole) instead of standard output.")
    var outFile: String?

    @OptionGroup var lock: LockOptions

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            let request = ImportRequest(
                provider: provider, kinds: kinds.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [],
                output: outFile ?? ImportRequest.standardOutput)
            let result = try await ImportOperation(request, lock: lock.policy).run(in: Workspace.open(options))
            if outFile == nil { Terminal.out(result.yaml, terminator: "") }
            for note in result.notes { Terminal.notice(note) }
            Terminal.error(Self.summary(result, to: outFile))
        }
    }

    static func summary(_ result: ImportResult, to file: String?) -> String {
        var text = "Imported \(result.imported.count) resource(s)" + (file.map { " to \($0)" } ?? "")
            + "; \(result.adopted.count) adopted into state."
        if !result.differing.isEmpty {
            text += " The manifest asks for other values than the bank holds for: "
                + result.differing.map(\.description).joined(separator: ", ") + "; `provision plan` shows how."
        }
        return text
    }
}

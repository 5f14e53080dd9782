import ArgumentParser
import Banks
import Reconciler
import Foundation
import PlanModel
import ManifestLanguage

struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the manifest's JSON Schema (draft 2020-12), for editors and CI.",
        discussion: """
            The schema is generated from the provider catalog. Editors that use yaml-language-server pick it up \
            from a comment at the top of a manifest file:

              provision schema --output manifest.schema.json
              # yaml-language-server: $schema=./manifest.schema.json

            It checks shapes, types, enums, ranges and patterns; provision validate also checks references, \
            production rules and resolved values.
            """)

    @Option(name: .long, help: ArgumentHelp("Write the schema to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display) {
            let schema = ManifestSchema.json(catalog: BankRegistry.all.catalog)
            guard let output else {
                FileHandle.standardOutput.write(Data(schema.utf8))
                return
            }
            do {
                try Data(schema.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CommandProblem(description: "Cannot write the schema to \(output): \(FileProblem.reason(error)). Choose a file in a folder that exists and can be written.")
            }
            Terminal.error("Wrote the manifest schema to \(output).")
        }
    }
}

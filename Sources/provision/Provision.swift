import ArgumentParser

@main
struct Provision: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Bank integrations as code: plan and apply bank setup described in YAML.",
        version: "0.5.0",
        subcommands: [
            ValidateCommand.self, CheckCommand.self, PlanCommand.self, ApplyCommand.self, ConfirmCommand.self, ConsentCommand.self, RunbookCommand.self, DriftCommand.self, ImportCommand.self, GraphCommand.self, StateCommand.self, SandboxCommand.self, SchemaCommand.self,
        ]
    )
}

import ArgumentParser
import Reconciler

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the manifest without contacting any bank. Exit 0 valid, 1 invalid.")

    @OptionGroup var options: ManifestOptions

    func run() async throws {
        try await Terminal.run {
            let manifest = try ManifestLoader.load(path: options.path).manifest
            print("The manifest is valid: \(manifest.providers.count) provider(s), \(manifest.resources.count) resource(s).")
        }
    }
}

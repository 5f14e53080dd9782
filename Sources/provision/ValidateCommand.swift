import ArgumentParser
import Banks
import Reconciler
import ManifestLanguage

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the manifest without contacting any bank. Exit 0 valid, 1 invalid.",
        discussion: "Without --env, a manifest that declares environments is checked as each of them sees it.")

    @OptionGroup var options: ManifestOptions

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            if let environment = options.environment {
                let manifest = try ManifestLoader.load(path: options.path, environment: environment, catalog: BankRegistry.all.catalog).manifest
                Terminal.out("The manifest is valid for environment \(environment): \(manifest.providers.count) provider(s), \(manifest.resources.count) resource(s).")
                return
            }
            let manifests = try ManifestLoader.validateAll(path: options.path, catalog: BankRegistry.all.catalog)
            for manifest in manifests {
                let scope = manifest.environment.map { "for environment \($0)" } ?? "and declares no environments"
                Terminal.out("The manifest is valid \(scope): \(manifest.providers.count) provider(s), \(manifest.resources.count) resource(s).")
            }
        }
    }
}

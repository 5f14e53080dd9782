import ArgumentParser
import Banks
import Reconciler
import ManifestLanguage

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the manifest without contacting any bank. Exit 0 valid, 1 invalid.",
        discussion: """
            Without --env, a manifest that declares environments is checked as each of them sees it. Credentials are \
            not needed: a variable that is not set is a note naming the commands and environments that need it (plan, \
            apply, drift, check), so CI can validate a pull request without secrets. With --strict, an unset variable \
            is an error, as it is for plan and apply.
            """)

    @OptionGroup var options: ManifestOptions

    @Flag(help: "Require every variable the manifest uses to be set, as plan and apply do.")
    var strict = false

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            let credentials: CredentialResolution = strict ? .required : .deferred
            if let environment = options.environment {
                let manifest = try Workspace.open(options, credentials: credentials).manifest
                Terminal.out("The manifest is valid for environment \(environment): \(manifest.providers.count) provider(s), \(manifest.resources.count) resource(s).")
                return
            }
            let (manifests, notices) = try ManifestLoader.validateAll(path: options.path, catalog: BankRegistry.all.catalog, credentials: credentials)
            Terminal.notices(notices)
            for manifest in manifests {
                let scope = manifest.environment.map { "for environment \($0)" } ?? "and declares no environments"
                Terminal.out("The manifest is valid \(scope): \(manifest.providers.count) provider(s), \(manifest.resources.count) resource(s).")
            }
        }
    }
}

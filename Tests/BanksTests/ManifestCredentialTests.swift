import Banks
import PlanModel
import Reconciler
import Testing
import ManifestLanguage

/// How a manifest's credentials load: deferred for the commands that contact no bank, refused defaults and plain
/// text for secrets in production.
struct ManifestCredentialTests {
    let text = """
        version: 1
        providers:
          sepay:
            type: sepay-bankhub
            endpoint: https://bankhub-api-sandbox.sepay.vn
            client_id: ${env:SEPAY_CLIENT_ID:-BANKHUBSB}
            client_secret: ${env:SEPAY_CLIENT_SECRET}
            rate_limit: ${env:SEPAY_RATE}
        sepay:
          webhook:
            url: https://hooks.example.com/bankhub
            secret: ${env:BANKHUB_WEBHOOK_SECRET:-staging-hook-secret}
        environments:
          staging: {}
          production:
            production: true
            providers:
              sepay: { endpoint: https://bankhub-api.sepay.vn }
        """

    func parse(
        _ text: String, environment: String?, variables: [String: String] = [:], credentials: CredentialResolution = .required
    ) throws(ManifestError) -> Manifest {
        try ManifestParser(catalog: BankRegistry.all.catalog, environment: variables, credentials: credentials)
            .parse([ManifestSource(path: "bank.yaml", text: text)], environment: environment)
    }

    @Test func aDeferredVariableIsANoteItsValueLeftOutAndNoBankIsConnected() throws {
        let manifest = try parse(text, environment: "staging", credentials: .deferred)
        let provider = try #require(manifest.provider(named: "sepay"))
        // Neither an empty string nor the setting's default stands in for the unset variables.
        #expect(provider.settings["client_secret"] == nil)
        #expect(provider.settings["rate_limit"] == nil)
        #expect(manifest.deferred.map(\.reference) == ["${env:SEPAY_CLIENT_SECRET}", "${env:SEPAY_RATE}"])
        #expect(manifest.notices.map(\.description) == [
            "note: ${env:SEPAY_CLIENT_SECRET} is unset, used by \"providers.sepay.client_secret\" (bank.yaml:7:20); plan, apply, drift and check need it in environment staging: set SEPAY_CLIENT_SECRET where they run.",
            "note: ${env:SEPAY_RATE} is unset, used by \"providers.sepay.rate_limit\" (bank.yaml:8:17); plan, apply, drift and check need it in environment staging: set SEPAY_RATE where they run.",
        ])
        #expect(throws: ManifestError.self) { try manifest.requireResolved() }
        #expect(throws: ManifestError.self) { try BankRegistry.all.connect(manifest, sandboxBaseURL: nil) }

        let required = #expect(throws: ManifestError.self) { try parse(text, environment: "staging") }
        #expect(required?.problems.map(\.severity) == [.error, .error])
    }

    @Test func aProductionSecretRefusesItsWrittenDefaultNamingTheAttributeAndTheFix() throws {
        let variables = ["SEPAY_CLIENT_ID": "BANKHUBSB", "SEPAY_CLIENT_SECRET": "client-secret-value", "SEPAY_RATE": "5"]
        let staging = try parse(text, environment: "staging", variables: variables)
        #expect(staging.resources.first?.attributes["secret"] == .sensitive(Sensitive("staging-hook-secret")))

        for credentials in [CredentialResolution.required, .deferred] {
            let error = #expect(throws: ManifestError.self) { try parse(text, environment: "production", variables: variables, credentials: credentials) }
            #expect(error?.problems.map(\.description) == [
                "error: Environment variable BANKHUB_WEBHOOK_SECRET is not set, so \"sepay.webhook.secret\" would fall back to the default written in the manifest (bank.yaml:12:13), and production environment \"production\" uses no written default for a secret or a provider setting (a placeholder or sandbox secret must never reach a bank). Set BANKHUB_WEBHOOK_SECRET in the environment; remove the :-default, or move the default to a non-production environment.",
            ])
        }
        let set = try parse(text, environment: "production", variables: variables.merging(["BANKHUB_WEBHOOK_SECRET": "production-hook-secret"]) { $1 })
        #expect(set.resources.first?.attributes["secret"] == .sensitive(Sensitive("production-hook-secret")))
    }

    @Test func aSecretWrittenAsPlainTextIsAWarningAndAnErrorInProduction() throws {
        let literal = text.replacingOccurrences(of: "${env:BANKHUB_WEBHOOK_SECRET:-staging-hook-secret}", with: "plain-hook-secret")
        let variables = ["SEPAY_CLIENT_ID": "BANKHUBSB", "SEPAY_CLIENT_SECRET": "client-secret-value", "SEPAY_RATE": "5"]
        let staging = try parse(literal, environment: "staging", variables: variables)
        #expect(staging.notices.map(\.description) == [
            "warning: \"sepay.webhook.secret\" is a secret written as plain text in the manifest (bank.yaml:12:13): whoever reads the repository reads it. Write ${env:NAME} and set NAME where provision runs, or ${file:PATH} naming a file kept out of git.",
        ])
        let error = #expect(throws: ManifestError.self) { try parse(literal, environment: "production", variables: variables) }
        #expect(error?.problems.map(\.description) == [
            "error: \"sepay.webhook.secret\" is a secret written as plain text in the manifest (bank.yaml:12:13), which production environment \"production\" refuses: whoever reads the repository reads it. Write ${env:NAME} and set NAME where provision runs, or ${file:PATH} naming a file kept out of git.",
        ])
        #expect(try parse(text, environment: "staging", variables: variables).notices.isEmpty)
    }

    /// A key file kept out of git is deferred as an unset variable is: a note offline, an error when required.
    @Test func anUnreadableFileIsDeferredOfflineAndRequiredOtherwise() throws {
        let variables = ["SEPAY_CLIENT_SECRET": "client-secret-value", "SEPAY_RATE": "5"]
        let keyed = text.replacingOccurrences(of: "${env:BANKHUB_WEBHOOK_SECRET:-staging-hook-secret}", with: "${file:keys/hook.secret}")
        let manifest = try parse(keyed, environment: "staging", variables: variables, credentials: .deferred)
        #expect(manifest.resources.first?.attributes["secret"] == nil)
        #expect(manifest.deferred.map(\.reference) == ["${file:keys/hook.secret}"])
        #expect(manifest.resolvedProviders.isEmpty, "the provider's webhook lacks its secret, so the provider is not contacted")
        #expect(manifest.notices.map(\.description) == [
            "note: ${file:keys/hook.secret} cannot be read (keys/hook.secret), used by \"sepay.webhook.secret\" (bank.yaml:12:13); plan, apply, drift and check need it in environment staging: put the file there where they run.",
        ])
        let refused = #expect(throws: ManifestError.self) { try manifest.requireResolved() }
        #expect(refused?.problems.map(\.severity) == [.error])

        let required = #expect(throws: ManifestError.self) { try parse(keyed, environment: "staging", variables: variables) }
        #expect(required?.problems.count == 1)
        #expect(required?.problems.first?.description.contains("keys/hook.secret") == true, "\(String(describing: required))")
    }
}

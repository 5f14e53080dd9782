import Foundation
import Testing

/// `--provider` and `--target`: plan a part of a manifest, so one provider that cannot be planned blocks nothing else.
struct ScopeEndToEndTests {
    @Test func oneProviderIsPlannedWhileOthersThatCannotBeReachedAreLeftAlone() throws {
        let folder = try copyOfExample("all-providers")
        let binary = try ProvisionBinary()
        let variables = try variablesWithoutDefaults(in: folder)
        let whole = try binary.run(["plan", folder.path], in: folder, environment: variables)
        #expect(whole.status == 1, "the whole manifest includes providers whose banks cannot be reached from here: \(whole.errors)")
        let finan = try binary.run(["plan", "--provider", "finan", "--detailed-exitcode", folder.path], in: folder, environment: variables)
        #expect(finan.status == 2, "\(finan.output)\n\(finan.errors)")
        #expect(finan.output.contains("finan.bank_accounts.accounting"))
        #expect(!finan.output.contains("sepay"))
    }

    @Test func aTargetBringsWhatItDependsOnAndNothingElse() throws {
        let folder = try copyOfExample("all-providers")
        let result = try ProvisionBinary().run(
            ["plan", "--target", "finan.bank_accounts.accounting", folder.path], in: folder, environment: try variablesWithoutDefaults(in: folder))
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("finan.bank_accounts.accounting"))
        #expect(result.output.contains("1 unchanged"), "its master comes along, checked and unchanged")
        #expect(!result.output.contains("finan.webhook"))
    }

    @Test func aTargetThatIsNotInTheManifestSuggestsTheNearestOne() throws {
        let folder = try copyOfExample("all-providers")
        let result = try ProvisionBinary().run(
            ["plan", "--target", "finan.bank_accounts.acounting", folder.path], in: folder, environment: try variablesWithoutDefaults(in: folder))
        #expect(result.status == 1)
        #expect(result.errors.contains("--target finan.bank_accounts.acounting is not a resource of the manifest. Did you mean finan.bank_accounts.accounting?"), "\(result.errors)")
    }
}

import PlanModel
import Testing
import ManifestLanguage

/// A bank's typed settings are checked by the parser, so `validate` reports them with the setting's place.
struct SettingsCheckTests {
    static let catalog = ProviderCatalog([
        ProviderTypeSchema(
            type: "pem-bank", displayName: "PEM Bank",
            settings: [AttributeSchema("private_key", .string, .required, sensitive: true, summary: "a PEM key")],
            kinds: [],
            checkSettings: { values in
                values["private_key"]?.revealedText.hasPrefix("-----BEGIN") == true
                    ? [] : [.init(setting: "private_key", reason: "it is not a PEM block; write the key file's contents or ${file:key.pem}")]
            }),
    ])

    @Test func aSettingTheBankCannotUseIsReportedAtItsPlaceWithoutItsValue() {
        let text = """
            version: 1
            providers:
              bank:
                type: pem-bank
                private_key: not-a-key-value
            """
        #expect {
            _ = try ManifestParser(catalog: Self.catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: text)])
        } throws: { error in
            let errors = (error as? ManifestError)?.problems.filter { $0.severity == .error }.map(\.description)
            return errors == ["error: \"providers.bank.private_key\" cannot be used: it is not a PEM block; write the key file's contents or ${file:key.pem} (bank.yaml:5:18)."]
                && !"\(error)".contains("not-a-key-value")
        }
    }
}

/// Writing an attribute the bank computes is named as such, not as an unknown key.
struct ComputedAttributeTests {
    @Test func aComputedAttributeInTheManifestIsNamedComputed() {
        let text = """
            version: 1
            providers:
              finan: { type: finan-one }
            finan:
              master_accounts:
                main: { account_number: "1" }
              bank_accounts:
                a: { master: main, account_name: A, account_number: "123" }
            """
        #expect {
            _ = try ManifestParser(catalog: .test, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: text)])
        } throws: { error in
            "\(error)".contains("error: \"account_number\" in finan.bank_accounts.a is computed: the bank assigns it and plan reads it back (bank.yaml:8:41). Remove it from the manifest.")
        }
    }
}

import Foundation
import PlanModel
import Testing

/// The scrubber blanks a learned secret in every form it takes on the way out, and nothing else.
struct SecretScrubberTests {
    static let secret = "Client Secret/4711+x"

    @Test func everyFormOfALearnedSecretIsBlankedInAnyCase() {
        let scrubber = SecretScrubber()
        scrubber.learn(Self.secret)
        let basicPair = Data("client-1:\(Self.secret)".utf8).base64EncodedString()
        scrubber.learn("client-1:\(Self.secret)")
        scrubber.learn(basicPair)
        let forms = [
            Self.secret, Self.secret.uppercased(), Self.secret.lowercased(), Data(Self.secret.utf8).base64EncodedString(),
            Self.secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "", "Client+Secret%2F4711%2Bx", basicPair,
        ]
        for form in forms {
            let text = "before \(form) after"
            #expect(scrubber.scrub(text) == "before (redacted) after", "\(form)")
        }
        #expect(scrubber.scrub(Value.list([.string("x \(Self.secret)"), .object(["k": .string(Self.secret)])]))
            == .list([.string("x (redacted)"), .object(["k": .string("(redacted)")])]))
    }

    @Test func shortValuesAndOtherTextAreLeftAlone() {
        let scrubber = SecretScrubber()
        scrubber.learn("abc12")
        scrubber.learn("")
        #expect(scrubber.scrub("abc12 and KẾ TOÁN") == "abc12 and KẾ TOÁN")
    }

    @Test func theProcessScrubberLearnsNothingUntilEnabled() {
        let scrubber = SecretScrubber(enabled: false)
        scrubber.learn(Self.secret)
        #expect(scrubber.scrub(Self.secret) == Self.secret)
        scrubber.enable()
        scrubber.learn(Self.secret)
        #expect(scrubber.scrub(Self.secret) == "(redacted)")
    }

    @Test func aManifestTeachesItsSecretsAndEveryResolvedValue() {
        let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)
        var manifest = Manifest(
            version: 1,
            providers: [ProviderConfig(name: "bank", type: "t", endpoint: .sandbox, settings: ["key": .sensitive(Sensitive("provider-key-1"))], location: here)],
            resources: [Resource(
                address: ResourceAddress(instance: "bank", kind: "k", name: "a"), providerType: "t", capability: .managed,
                attributes: ["name": .sensitive(Sensitive("from-a-variable", shownAs: "${env:X}"))], location: here)])
        manifest.interpolated = ["https://endpoint-from-env.example"]
        let scrubber = SecretScrubber()
        scrubber.learn(manifest)
        #expect(scrubber.scrub("provider-key-1 from-a-variable https://endpoint-from-env.example") == "(redacted) (redacted) (redacted)")
    }

    @Test func aValueReadFromAVariableIsTheBanksTextWhenTheyMatch() {
        let read = Value.sensitive(Sensitive("KE TOAN", shownAs: "${env:NAME}"))
        #expect(read.description == "${env:NAME}" && read.displayText == "${env:NAME}")
        #expect(read.sameContent(as: .string("KE TOAN")) && !read.sameContent(as: .string("KE TOAN 2")))
        #expect(Value.sensitive(Sensitive("s")).description == "(sensitive)")
        let differ = Differ(catalog: .test)
        let address = ResourceAddress(instance: "finan", kind: "bank_accounts", name: "a")
        let resource = Resource(
            address: address, providerType: "finan-one", capability: .managed, attributes: ["account_name": read],
            location: SourceLocation(file: "b.yaml", line: 1, column: 1))
        func change(live: String) -> Change? {
            let observed = Observed(live: [address: .present(remoteID: "a1", attributes: ["account_name": .string(live)])], tracked: [address: "a1"])
            return differ.changes(desired: [resource], observed: observed).first
        }
        #expect(change(live: "KE TOAN")?.action == .noop)
        #expect(change(live: "OLD")?.attributeChanges.map { "\($0.before!) → \($0.after!)" } == ["\"OLD\" → ${env:NAME}"])
    }
}

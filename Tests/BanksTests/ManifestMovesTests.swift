import Banks
import ManifestLanguage
import PlanModel
import Reconciler
import Testing

/// `moved:` entries: followed in chains, and every entry that cannot be followed refused with its place and the fix.
struct ManifestMovesTests {
    static let head = """
        version: 1
        providers:
          finan: { type: finan-one, endpoint: sandbox, client_id: c, secret_key: s }
        finan:
          master_accounts:
            main: { account_number: "0933450210" }
          bank_accounts:
            accounts-team: { master: main, account_name: KE TOAN }
            payroll: { master: main, account_name: LUONG }

        """

    func parse(_ moved: String) throws(ManifestError) -> Manifest {
        try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: Self.head + moved)])
    }

    func problems(_ moved: String) -> [String] {
        do {
            _ = try parse(moved)
            return []
        } catch {
            return error.problems.filter { $0.severity == .error }.map(\.description)
        }
    }

    @Test func aChainIsFollowedToItsEnd() throws {
        let manifest = try parse("""
            moved:
              - { from: finan.bank_accounts.accounting, to: finan.bank_accounts.accounts }
              - { from: finan.bank_accounts.accounts, to: finan.bank_accounts.accounts-team }
            """)
        let resolved = Move.resolved(manifest.moves)
        #expect(resolved[ResourceAddress(parsing: "finan.bank_accounts.accounting")!] == ResourceAddress(parsing: "finan.bank_accounts.accounts-team"))
    }

    @Test func entriesThatCannotBeFollowedAreRefusedWithTheirPlace() {
        #expect(problems("moved:\n  - { from: finan.bank_accounts.payroll, to: finan.bank_accounts.accounts-team }\n") == [
            "error: moved: finan.bank_accounts.payroll → finan.bank_accounts.accounts-team (bank.yaml:11:5): finan.bank_accounts.payroll is still declared; a move's from must be gone from the manifest. Rename the entry to finan.bank_accounts.accounts-team, or remove this moved entry",
        ])
        #expect(problems("moved:\n  - { from: finan.bank_accounts.old, to: finan.bank_accounts.nowhere }\n") == [
            "error: moved: finan.bank_accounts.old → finan.bank_accounts.nowhere (bank.yaml:11:5): finan.bank_accounts.nowhere is not declared; declare it (the renamed entry), or correct the address",
        ])
        let cycle = problems("moved:\n  - { from: finan.bank_accounts.a, to: finan.bank_accounts.b }\n  - { from: finan.bank_accounts.b, to: finan.bank_accounts.a }\n")
        #expect(cycle.contains { $0.contains("the moves form a cycle: finan.bank_accounts.a → finan.bank_accounts.b → finan.bank_accounts.a") }, "\(cycle)")
        let twice = problems("moved:\n  - { from: finan.bank_accounts.old, to: finan.bank_accounts.payroll }\n  - { from: finan.bank_accounts.old, to: finan.bank_accounts.accounts-team }\n")
        #expect(twice.contains { $0.contains("finan.bank_accounts.old already moves to finan.bank_accounts.payroll (bank.yaml:11:5); keep one entry") }, "\(twice)")
        #expect(problems("moved:\n  - { from: not-an-address, to: finan.bank_accounts.payroll }\n").contains { $0.contains("\"moved.from\" must be a resource address") })
    }
}

/// `promotes_from:` chains that come back to where they started are refused by validate, once, with their place.
struct PromotionCycleTests {
    static let text = """
        version: 1
        providers:
          finan: { type: finan-one, endpoint: sandbox, client_id: c, secret_key: s }
        finan:
          master_accounts:
            main: { account_number: "0933450210" }
        environments:
          uat: {}
          staging:
            promotes_from: production
          production:
            promotes_from: staging
        """

    @Test func aCycleFailsValidateForEveryEnvironmentInItOnce() throws {
        let expected = "error: environments promote from each other in a cycle: production → staging → production (bank.yaml:12:20); apply would be refused in each of them for ever. Make one of them promote from none (remove its promotes_from)."
        #expect(throws: ManifestError.self) {
            try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: Self.text)], environment: "staging")
        }
        let all = ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parseEach([ManifestSource(path: "bank.yaml", text: Self.text)])
        var problems: [String] = []
        for result in all {
            if case .failure(let error) = result { problems += error.problems.filter { $0.severity == .error }.map(\.description).filter { !problems.contains($0) } }
        }
        #expect(problems == [expected])
        #expect(all.contains { if case .success(let manifest) = $0 { return manifest.environment == "uat" } else { return false } })
    }
    /// An environment that promotes from one on a cycle is not on it: it validates; one that promotes from itself is
    /// a cycle of one.
    @Test func onlyTheEnvironmentsOnTheCycleReportIt() throws {
        let text = Self.text.replacingOccurrences(of: "  uat: {}", with: "  uat:\n    promotes_from: staging\n  dev:\n    promotes_from: dev")
        let all = ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parseEach([ManifestSource(path: "bank.yaml", text: text)])
        let failed = all.compactMap { result -> [String]? in
            guard case .failure(let error) = result else { return nil }
            return error.problems.filter { $0.severity == .error }.map(\.description)
        }
        #expect(failed.count == 3, "dev, staging and production: \(failed)")
        #expect(failed.contains { $0.contains { $0.contains("in a cycle: dev → dev") } }, "\(failed)")
        #expect(all.contains { if case .success(let manifest) = $0 { return manifest.environment == "uat" } else { return false } })
    }
}

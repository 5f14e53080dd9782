import Reconciler

extension BankRegistry {
    /// Every bank this build knows; a new bank is one folder and one line here.
    public static let all = BankRegistry(
        [
            FinanOne.bank,
            SePayBankHub.bank,
            VietinBankIConnect.bank,
            ICICIAPIBanking.bank,
        ],
        environmentsExample: BankRegistry.environmentsExample)

    /// The manifest reference's environments example.
    static let environmentsExample = """
        version: 1
        providers:
          finan:
            type: finan-one
            endpoint: sandbox
            client_id: ${env:FINAN_CLIENT_ID:-sandbox-client-id}
            secret_key: ${env:FINAN_SECRET_KEY:-sandbox-secret-key}

        finan:
          master_accounts:
            main: { account_number: "0933450210" }
          webhook:
            url: http://127.0.0.1:9000/finan

        environments:
          staging: {}                   # the manifest as written
          production:
            production: true            # https only, no sandbox
            providers:
              finan:
                endpoint: https://api.finan.one/open
                client_id: ${env:FINAN_CLIENT_ID}      # no default in production
                secret_key: ${env:FINAN_SECRET_KEY}
            finan:
              master_accounts:
                main: { account_number: "1AM002110000121" }
              webhook:
                url: https://hooks.example.com/finan

        """
}

import Foundation
import Testing

/// A plan against an endpoint where nothing listens fails fast with one sentence, not minutes of silence.
@Suite(.timeLimit(.minutes(1)))
struct UnreachableEndToEndTests {
    @Test func aClosedPortFailsWithTheProviderTheURLAndTheFix() throws {
        let folder = try folderWithManifest("""
            version: 1
            providers:
              finan:
                type: finan-one
                endpoint: http://127.0.0.1:1/open
                client_id: c
                secret_key: s
            finan:
              master_accounts:
                main: { account_number: "0933450210" }
            """)
        let result = try ProvisionBinary().run(["plan", folder.path], in: folder)
        #expect(result.status == 1)
        #expect(result.errors.contains("No answer from Finan One to GET http://127.0.0.1:1/open/api/v1/master-bank-accounts"), "\(result.errors)")
        #expect(result.errors.contains("nothing answers at 127.0.0.1:1 (connection refused)"), "\(result.errors)")
        #expect(!result.errors.contains("may have reached"), "a read never claims it may have changed anything")
        #expect(!result.errors.contains("errno"), "no raw system error")
    }
}

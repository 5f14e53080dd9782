import PlanModel
import PostgresState
import Testing

/// Reading state database URLs; none of these needs a server.
struct PostgresURLTests {
    @Test func readsEveryPartAndHidesThePassword() throws {
        let url = try PostgresURL(parsing: "postgresql://ci%40team:p%3Ass@db.example.com:6543/bank?sslmode=require&schema=ops&connect_timeout=3&application_name=ci", environment: [:])
        #expect(url.connectTimeout == 3 && url.applicationName == "ci")
        #expect(url.user == "ci@team" && url.password?.revealed == "p:ss")
        #expect(url.host == "db.example.com" && url.port == 6543 && url.database == "bank")
        #expect(url.tls == .require && url.schema == "ops")
        #expect("\(url)" == "postgres://ci@team@db.example.com:6543/bank")
    }

    @Test func defaultsAndThePasswordFromTheEnvironment() throws {
        let url = try PostgresURL(parsing: "postgres://ci@localhost", environment: ["PGPASSWORD": "from-env"])
        #expect(url.port == 5432 && url.database == "ci" && url.tls == .prefer && url.schema == nil)
        #expect(url.password?.revealed == "from-env")
    }

    @Test(arguments: [
        ("postgres://u:hunter2@/db", "names no host"),
        ("postgres://:hunter2@host/db", "names no user"),
        ("postgres://u:hunter2@host/db?sslmode=always", "sslmode must be one of"),
        ("postgres://u:hunter2@host/db?pasword=x", "unknown parameter pasword"),
        ("mysql://u:hunter2@host/db", "not a postgres://"),
    ])
    func refusesABadURLWithoutQuotingIt(text: String, reason: String) {
        #expect {
            _ = try PostgresURL(parsing: text, environment: [:])
        } throws: { error in
            "\(error)".contains(reason) && !"\(error)".contains("hunter2")
        }
    }
}

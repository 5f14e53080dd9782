import Reconciler

/// Finan One's preflight: one master-account list, signed (which proves `client_id` and `secret_key`), and the clock,
/// since Finan refuses a signature whose timestamp is more than 30 seconds off its own.
extension FinanOneClient: Checking {
    var clockWindow: Duration? { .seconds(30) }

    func check(_ context: CheckContext) async -> [CheckFinding] {
        do {
            let masters = try await listMasterAccounts()
            return [.ok("credentials", "GET /api/v1/master-bank-accounts answered with \(masters.count) master account\(masters.count == 1 ? "" : "s"): client_id and secret_key are accepted")]
        } catch {
            return [.failed("credentials", call: error)]
        }
    }
}

import Reconciler

/// SePay Bank Hub's preflight: a token for `client_id` and `client_secret`, and one company page read with it.
extension SePayBankHubClient: Checking {
    func check(_ context: CheckContext) async -> [CheckFinding] {
        do {
            _ = try await send("GET", "/v1/company?page=1&per_page=1", as: SePayIgnored.self)
            return [.ok("credentials", "POST /v1/token issued a token and GET /v1/company answered with it: client_id and client_secret are accepted")]
        } catch {
            return [.failed("credentials", call: error)]
        }
    }
}

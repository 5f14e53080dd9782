import PlanModel
import Reconciler

/// Statement push registrations, one per account: `POST /erp/v1/statement/register`, signed. VietinBank has no call
/// that reads them back, so the plan compares with what state recorded; a change registers the account again,
/// and there is no call to cancel one.
struct VietinBankStatementPush: Creating, Updating, RecordedOnly {
    static let operation = "/erp/v1/statement/register"

    let client: VietinBankClient

    func create(_ resource: Resource, known: RemoteIDs) async throws -> AppliedResource {
        try await register(resource, known: known)
    }

    func update(_ resource: Resource, id: String, known: RemoteIDs) async throws -> AppliedResource {
        try await register(resource, known: known)
    }

    func register(_ resource: Resource, known: RemoteIDs) async throws -> AppliedResource {
        let account = resource.attributes["account"]?.revealedText ?? ""
        var fields = [("account", account), ("notifyType", resource.attributes["notify_type"]?.revealedText ?? "")]
        if let folder = resource.attributes["output_folder"]?.revealedText { fields.append(("outputFolder", folder)) }
        fields.append(("cronExpress", resource.attributes["cron"]?.revealedText ?? ""))
        let answer = try await client.statementCall(Self.operation, fields, for: resource.address, known: known)
        return AppliedResource(remoteID: account, attributes: resource.attributes, requestID: answer.requestID)
    }
}

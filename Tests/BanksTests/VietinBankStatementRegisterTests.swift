import Banks
import Foundation
import ManifestLanguage
import PlanModel
import Reconciler
import Testing
import _CryptoExtras

/// Statement register against a gateway that checks the public ERP integrations' signed field list.
@Suite("VietinBank iConnect: statement register as public integrations sign it")
struct VietinBankStatementRegisterTests {
    func manifest(signFields: String = "") throws -> Manifest {
        let key = try vietinBankTestKeyPEM().split(separator: "\n").map { "      \($0)" }.joined(separator: "\n")
        return try ManifestParser(catalog: BankRegistry.all.catalog, environment: [:]).parse([ManifestSource(path: "bank.yaml", text: """
            version: 1
            providers:
              vtb:
                type: vietinbank-iconnect
                endpoint: \(StrictVietinStatementServer.base)
                client_id: strict-app
                client_secret: strict-app-secret
                provider_id: SBX
                merchant_id: SBX001
                private_key: |
            \(key)
            \(signFields)
            vtb:
              statement_push:
                main: { account: "108000123456", notify_type: A, output_folder: ERP/CASPER/OUT, cron: "00/1****" }
            """)])
    }

    func apply(_ manifest: Manifest, to server: StrictVietinStatementServer) async throws -> ApplyReport {
        let providers = try BankRegistry.all.connect(manifest, sandboxBaseURL: nil, wire: server)
        let store = StateStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("provision-vtb-strict-\(UUID().uuidString)"))
        var state = try store.load()
        let plan = try await Planner(providers: providers, catalog: BankRegistry.all.catalog).plan(manifest, state: state)
        return try await Applier(providers: providers, store: store).apply(plan, manifest: manifest, state: &state)
    }

    func server() throws -> StrictVietinStatementServer {
        StrictVietinStatementServer(partnerKey: try _RSA.Signing.PrivateKey(pemRepresentation: vietinBankTestKeyPEM()).publicKey)
    }

    @Test func aPushWithAnOutputFolderIsAcceptedWithTheCommonERPFields() async throws {
        let server = try server()
        let report = try await apply(try manifest(), to: server)
        #expect(report.converged && report.applied.count == 1, "\(report.failed) \(server.refusals)")
        let sent = try #require(server.accepted.first)
        #expect(sent["outputFolder"] == "ERP/CASPER/OUT" && sent["notifyType"] == "A" && sent["cronExpress"] == "00/1****")
        #expect(sent["model"] == "1" && sent["channel"] == "ERP" && sent["version"] == "1" && sent["language"] == "vi" && sent["accountType"] == "D")
    }

    @Test func theReferenceReadingIsOneSettingAwayAndSuchAGatewayRefusesIt() async throws {
        let server = try server()
        let reading = "    sign_fields: { /erp/v1/statement/register: [requestId, providerId, merchantId, account, notifyType, outputFolder, cronExpress] }"
        let report = try await apply(try manifest(signFields: reading), to: server)
        #expect(report.failed.count == 1 && server.accepted.isEmpty)
        #expect(report.failed.first?.providerError?.code == "01", "\(report.failed)")
        #expect(server.refusals == ["01 Invalid signature"])
    }
}

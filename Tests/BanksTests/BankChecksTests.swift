@testable import Banks
import Foundation
import PlanModel
import Reconciler
import Testing
import TestSupport
import X509
import _CryptoExtras

/// What the banks' preflights find, against recorded answers: key sizes, key pairs, certificate expiry, signatures.
@Suite("check: what each bank checks")
struct BankChecksTests {
    static func context(production: Bool = false, resources: [Resource] = []) -> CheckContext {
        CheckContext(resources: resources, production: production, now: Date(), warningWindow: CheckRequest.defaultWarningWindow)
    }

    func findings(_ bank: Bank, _ settings: [String: Value], transport: RecordingTransport, context: CheckContext) async throws -> [CheckFinding] {
        let provider = try #require(try bank.provider(name: "p", baseURL: "https://bank.test", settings: settings, wire: transport))
        return try await #require(provider.checking).check(context)
    }

    func finding(_ findings: [CheckFinding], _ subject: String) throws -> CheckFinding {
        try #require(findings.first { $0.subject == subject }, "\(findings.map(\.subject))")
    }

    @Test func iciciAsksForA4096BitKeyInProductionAndTheKeyOfTheClientCertificate() async throws {
        let pem = try iciciTestKeyPEM()
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        let otherKey = try _RSA.Signing.PrivateKey(pemRepresentation: vietinBankTestKeyPEM()).publicKey
        let other = try TestCertificates.issue(days: 200, publicKey: Certificate.PublicKey(otherKey))
        let settings: [String: Value] = [
            "api_key": .sensitive(Sensitive("k")), "client_private_key": .sensitive(Sensitive(pem)),
            "bank_certificate": .string(key.publicKey.pemRepresentation), "client_certificate": .string(other.certificatePEM),
        ]
        let transport = RecordingTransport { _ in RecordingTransport.json(400, #"{"errorCode":"8017","description":"schema"}"#) }
        let production = try await findings(ICICIAPIBanking.bank, settings, transport: transport, context: Self.context(production: true))
        let size = try finding(production, "client_private_key size")
        #expect(size.status == .failed && size.detail.contains("2048-bit key; ICICI asks for 4096-bit keys in production"), "\(size)")
        #expect(try finding(production, "client_private_key matches client_certificate").status == .failed)
        #expect(try finding(production, "credentials").status == .ok, "a gateway code other than 401 means the key is known")
        let sandbox = try await findings(ICICIAPIBanking.bank, settings, transport: transport, context: Self.context())
        #expect(try finding(sandbox, "client_private_key size").status == .ok)
        #expect(try finding(sandbox, "client_certificate expiry").status == .ok)
        #expect(transport.recorded.allSatisfy { $0.url.hasSuffix("/RegistrationStatus") }, "\(transport.recorded.map(\.url))")
    }

    @Test func vietinBankFindsARefusedSignatureAndAnExpiredCertificate() async throws {
        let pem = try vietinBankTestKeyPEM()
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        let expired = try TestCertificates.issue(days: -1, publicKey: Certificate.PublicKey(key.publicKey))
        let settings: [String: Value] = [
            "client_id": .string("c"), "client_secret": .sensitive(Sensitive("s")), "provider_id": .string("SBX"),
            "merchant_id": .string("SBX001"), "private_key": .sensitive(Sensitive(pem)), "certificate": .string(expired.certificatePEM),
        ]
        let push = Resource(
            address: ResourceAddress(instance: "p", kind: "statement_push", name: "main"), providerType: "vietinbank-iconnect", capability: .managed,
            attributes: ["account": .string("108000123456")], location: SourceLocation(file: "b.yaml", line: 1, column: 1))
        let transport = RecordingTransport { call in
            let signed = String(decoding: call.body ?? [], as: UTF8.self).contains("signature")
            return RecordingTransport.json(200, #"{"status":{"code":"\#(signed ? "01" : "02")","message":"\#(signed ? "Invalid signature" : "requestId")"}}"#)
        }
        let found = try await findings(VietinBankIConnect.bank, settings, transport: transport, context: Self.context(resources: [push]))
        #expect(try finding(found, "credentials").status == .ok)
        #expect(try finding(found, "private_key matches certificate").status == .ok)
        let expiry = try finding(found, "certificate expiry")
        #expect(expiry.status == .failed && expiry.detail.contains("expired on"), "\(expiry)")
        let signature = try finding(found, "signature (private_key)")
        #expect(signature.status == .failed && signature.detail.contains("code 01: Invalid signature") && signature.fix?.contains("private_key") == true)
        let inquiry = try #require(transport.recorded.last)
        #expect(inquiry.url.hasSuffix("/erp/v1/statement/inquiry") && inquiry.method == "POST")
    }
}

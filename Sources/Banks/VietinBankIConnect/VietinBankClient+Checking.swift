import Foundation
import PlanModel
import Reconciler

/// VietinBank's preflight: the gateway knows the application (a probe of statement inquiry with `{}`, unsigned, that
/// nothing can execute); the signing key is the one VietinBank holds (a signed statement inquiry of a declared
/// account: read-only, and its answer's signature checked with `bank_certificate`); the key files.
extension VietinBankClient: Checking {
    static let inquiry = "/erp/v1/statement/inquiry"

    func check(_ context: CheckContext) async -> [CheckFinding] {
        var findings = [await credentials()]
        findings += keys(context)
        if let signing = await signing(context) { findings.append(signing) }
        return findings
    }

    func credentials() async -> CheckFinding {
        let path = Self.inquiry
        do {
            let reply = try await plain.send("POST", path, headers: headers(), body: Array("{}".utf8))
            return .ok("credentials", "POST \(path) answered HTTP \(reply.status): the gateway knows client_id and client_secret")
        } catch let error as ProviderError where error.failure == .rejected {
            switch VietinBankProbeAnswer(error, path: path) {
            case .credentialsRefused(let text):
                return .failed("credentials", text, fix: "Check client_id and client_secret: the application's X-IBM-Client-Id and X-IBM-Client-Secret for this environment.")
            case .notSubscribed(let text), .through(let text): return .ok("credentials", "the gateway knows client_id and client_secret: \(text)")
            case .undecided(let text): return .warning("credentials", text, fix: "Check that endpoint is VietinBank's gateway base URL for this environment.")
            }
        } catch {
            return .failed("credentials", call: error)
        }
    }

    /// The signing key's size, the key pair with `certificate`, and the expiry of `certificate` and `bank_certificate`.
    func keys(_ context: CheckContext) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        if let key = settings.privateKey {
            findings.append(KeyInspector.size(key.keySizeInBits, setting: "private_key", minimum: 2048, why: "VietinBank signs with RSA keys of 2048 bits"))
            if let certificate = settings.certificate {
                findings.append(KeyInspector.pair(key.publicKey, privateSetting: "private_key", matches: certificate, setting: "certificate"))
            }
        }
        let renew = "Exchange a renewed certificate with VietinBank before it expires, then update the setting."
        findings += [("certificate", settings.certificate), ("bank_certificate", settings.bankCertificatePEM)].compactMap { setting, pem in
            pem.flatMap { KeyInspector.expiry(of: $0, setting: setting, context: context, renew: renew) }
        }
        return findings
    }

    /// A signed statement inquiry of the first declared statement push's account, for today; nil when there is none to
    /// ask about or nothing to sign with.
    func signing(_ context: CheckContext) async -> CheckFinding? {
        guard settings.privateKey != nil, settings.providerID != nil, settings.merchantID != nil,
              let push = context.resources(of: "statement_push").first, let account = push.attributes["account"]?.revealedText
        else { return nil }
        let subject = "signature (private_key)"
        let today = Self.requestDate(context.now)
        let known = RemoteIDs(resources: ResourceIndex(context.resources))
        do {
            _ = try await statementCall(Self.inquiry, [("account", account), ("fromDate", today), ("toDate", today)], for: push.address, known: known)
            let verified = settings.bankKey == nil ? "" : ", and its answer's signature verifies with bank_certificate"
            return .ok(subject, "VietinBank verified the signature of a statement inquiry of account \(account)\(verified)")
        } catch let error as ProviderError where error.failure == .rejected && error.code == "01" {
            return .failed(subject, error.finding, fix: "Set private_key to the key whose certificate VietinBank holds; check signature_hash and sign_fields.")
        } catch let error as ProviderError where error.failure == .rejected && [401, 403].contains(error.status ?? 0) {
            return .warning(subject, "the signature could not be checked: \(error.finding)", fix: "Subscribe the application to erp-statement, then run provision check again.")
        } catch let error as ProviderError where error.failure == .rejected && (200..<300).contains(error.status ?? 0) {
            return .warning(subject, "VietinBank verified the signature but answered the inquiry of account \(account) with \(error.finding)",
                            fix: "Ask VietinBank to register account \(account) to provider_id \(settings.providerID ?? "").")
        } catch let error as ProviderError where error.failure != .rejected && (200..<300).contains(error.status ?? 0) {
            return .failed("bank_certificate", error.finding, fix: "Set bank_certificate to the certificate VietinBank signs its answers with; check response_sign_fields.")
        } catch {
            return .failed(subject, call: error)
        }
    }

    /// `DD/MM/YYYY` in Vietnam's time.
    static func requestDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = VietinBankERPFields.transTimeZone
        formatter.dateFormat = "dd/MM/yyyy"
        return formatter.string(from: date)
    }
}

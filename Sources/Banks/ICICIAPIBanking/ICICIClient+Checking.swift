import Foundation
import PlanModel
import Reconciler
import _CryptoExtras

/// ICICI's preflight: the gateway knows `api_key` (a probe of RegistrationStatus with `{}`, unencrypted, that nothing
/// can execute); the keys (ICICI asks for 4096-bit keys in production; `client_certificate` is the key's own); and the
/// encryption both ways (an encrypted RegistrationStatus of a declared registration: read-only).
extension ICICIClient: Checking {
    /// ICICI's production gateways, where 4096-bit keys are required.
    static let productionHosts = ["apibankingone.icicibank.com", "api.icicibank.com"]

    func check(_ context: CheckContext) async -> [CheckFinding] {
        var findings = [await credentials()]
        findings += keys(context)
        if let encryption = await encryption(context) { findings.append(encryption) }
        return findings
    }

    func credentials() async -> CheckFinding {
        let path = ICICICIBRegistrations.status
        do {
            let reply = try await plain.send("POST", path, headers: headers(), body: Array("{}".utf8))
            return .ok("credentials", "POST \(path) answered HTTP \(reply.status): the gateway knows api_key")
        } catch let error as ProviderError where error.failure == .rejected {
            switch ICICIProbeAnswer(status: error.status ?? 0, code: error.code, message: error.message, path: path) {
            case .keyRefused(let text):
                return .failed("credentials", text, fix: "Check api_key: the application's key for this environment, and that the application is enabled.")
            case .notSelected(let text), .through(let text): return .ok("credentials", "the gateway knows api_key: \(text)")
            case .undecided(let text): return .warning("credentials", text, fix: "Check that endpoint is ICICI's gateway for this environment.")
            }
        } catch {
            return .failed("credentials", call: error)
        }
    }

    /// Whether the endpoint is ICICI's production gateway, or the environment is marked production.
    func isProduction(_ context: CheckContext) -> Bool {
        context.production || Self.productionHosts.contains(URLComponents(string: plain.baseURL)?.host ?? "")
    }

    func keys(_ context: CheckContext) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        if let codec = settings.codec, let key = try? codec.clientKey {
            let production = isProduction(context)
            let why = production ? "ICICI asks for 4096-bit keys in production" : "ICICI asks for 4096-bit keys in production; this is not production"
            findings.append(KeyInspector.size(key.keySizeInBits, setting: "client_private_key", minimum: production ? 4096 : 2048, why: why))
            if let certificate = settings.clientCertificate, let publicKey = try? _RSA.Signing.PublicKey(derRepresentation: key.publicKey.derRepresentation) {
                findings.append(KeyInspector.pair(publicKey, privateSetting: "client_private_key", matches: certificate, setting: "client_certificate"))
            }
        }
        let renew = "Exchange a renewed certificate with ICICI (by the onboarding form or e-mail) before it expires, then update the setting."
        findings += [("client_certificate", settings.clientCertificate), ("bank_certificate", settings.bankCertificatePEM)].compactMap { setting, pem in
            pem.flatMap { KeyInspector.expiry(of: $0, setting: setting, context: context, renew: renew) }
        }
        return findings
    }

    /// An encrypted RegistrationStatus of the first declared registration: ICICI decrypting it proves `bank_certificate`,
    /// its answer decrypting proves `client_private_key`. Nil without keys or a registration to ask about.
    func encryption(_ context: CheckContext) async -> CheckFinding? {
        guard encrypted != nil, let registration = context.resources(of: "cib_registrations").first else { return nil }
        let subject = "encryption (bank_certificate, client_private_key)"
        do {
            _ = try await call(ICICICIBRegistrations.status, ICICICIBRegistrations.payload(registration.attributes, alias: true), for: registration.address)
            return .ok(subject, "ICICI decrypted an encrypted RegistrationStatus and its answer decrypted with client_private_key")
        } catch let error as ProviderError where error.failure == .rejected && (200..<300).contains(error.status ?? 0) {
            return .ok(subject, "ICICI decrypted an encrypted RegistrationStatus and its answer decrypted with client_private_key (\(error.message ?? "a CIB refusal"))")
        } catch let error as ProviderError where error.failure == .rejected && [401, 403].contains(error.status ?? 0) {
            return .warning(subject, "the encryption could not be checked: \(error.finding)", fix: "Select CIB Registration Status for the application, then run provision check again.")
        } catch {
            return .failed(subject, call: error)
        }
    }
}

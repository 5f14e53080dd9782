import Crypto
import Foundation
import PlanModel

/// Keyed fingerprints of secrets, so that a plan shows that a secret changes (and whether to the same value as before)
/// without any character of it: HMAC-SHA256 of the secret under a key of its provider, its first 12 hex digits.
///
/// The key is derived (HKDF-SHA256) from the provider's own secret settings (its credentials), salted with the state's
/// lineage. So the fingerprint is the same in plan and apply, on any machine that holds the credentials and the same
/// state, and differs between states; and whoever reads only the plan (a pull-request comment, a CI log) cannot test
/// guesses of a short secret against it, because that needs the credentials, which already reach the bank. A provider
/// without secret settings gets a key made for this process alone: its fingerprints hide as well but do not repeat
/// between runs.
///
/// Invariant: a fingerprint is never computed from anything but a secret and a key no output shows.
public struct SecretFingerprinter: Sendable {
    /// Provider instance → its key.
    let keys: [String: SymmetricKey]

    /// The keys of every provider of `manifest`, for a state of `lineage` (empty before the first save).
    public init(manifest: Manifest, lineage: String) {
        var keys: [String: SymmetricKey] = [:]
        for provider in manifest.providers {
            keys[provider.name] = Self.key(settings: provider.settings, lineage: lineage)
        }
        self.keys = keys
    }

    /// The fingerprint of `secret` as a resource of `address` sets it; nil for an instance the manifest does not name.
    public func fingerprint(_ secret: Sensitive, of address: ResourceAddress) -> String? {
        guard let key = keys[address.instance] else { return nil }
        let code = HMAC<SHA256>.authenticationCode(for: Data(secret.revealed.utf8), using: key)
        return String(code.map { String(format: "%02x", $0) }.joined().prefix(12))
    }

    /// HKDF-SHA256 of the secret settings, each with its name and length, in name order; salted with the lineage.
    static func key(settings: [String: Value], lineage: String) -> SymmetricKey {
        var material = Data()
        for name in settings.keys.sorted() {
            guard case .sensitive(let secret) = settings[name] else { continue }
            for part in [name, secret.revealed] {
                material.append(contentsOf: withUnsafeBytes(of: UInt32(part.utf8.count).bigEndian, Array.init))
                material.append(contentsOf: part.utf8)
            }
        }
        guard !material.isEmpty else { return SymmetricKey(size: .bits256) }
        return HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: material), salt: Data(lineage.utf8), info: Data("provision secret fingerprint".utf8),
            outputByteCount: 32)
    }
}

import Foundation
import Synchronization

/// Blanks out, in text about to leave the process (standard output and error, logs, the journal, state, plan files),
/// every secret the process holds by value, and the forms a secret takes on the way: Base64 (standard and URL-safe),
/// percent-encoded, form-encoded, and any of these in another ASCII case.
///
/// The process's scrubber (`process`) is fed with every `Sensitive` value of the manifest and every value resolved from
/// `${env:}` or `${file:}`, and with the credentials a call carries in Basic authentication; `provision` enables it
/// once, at start. Values shorter than `minimumLength` are not learned: they would blank out ordinary words.
///
/// Invariant: `scrub` never lets a learned value, or one of its forms, through in any ASCII case.
public final class SecretScrubber: Sendable {
    /// The scrubber of this process; it learns nothing until `enable()`, so a library user (a test) is not affected.
    public static let process = SecretScrubber(enabled: false)
    /// The shortest value learned.
    public static let minimumLength = 6
    /// What stands in for a secret.
    public static let replacement = "(redacted)"

    struct Learned {
        var enabled: Bool
        var secrets: Set<String> = []
        /// Every form of every secret, as lower-cased UTF-8 bytes, longest first.
        var forms: [[UInt8]] = []
    }

    let learned: Mutex<Learned>

    public init(enabled: Bool = true) {
        learned = Mutex(Learned(enabled: enabled))
    }

    /// From now on, `learn` keeps what it is given.
    public func enable() {
        learned.withLock { $0.enabled = true }
    }

    /// Keeps `secret` (when enabled and long enough) and its derived forms.
    public func learn(_ secret: String) {
        guard secret.utf8.count >= Self.minimumLength else { return }
        learned.withLock { state in
            guard state.enabled, state.secrets.insert(secret).inserted else { return }
            let added = Self.forms(of: secret).map { Array($0.utf8).map(Self.lower) }
            state.forms = Array(Set(state.forms + added)).sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
        }
    }

    /// Learns every secret of the manifest: its providers' and backend's secret settings, and every value resolved
    /// from `${env:}` or `${file:}` in a setting or an attribute.
    public func learn(_ manifest: Manifest) {
        for provider in manifest.providers { provider.settings.values.forEach(learn(value:)) }
        for resource in manifest.resources { resource.attributes.values.forEach(learn(value:)) }
        if let url = manifest.backend?.url { learn(url.revealed) }
        manifest.interpolated.forEach { learn($0) }
    }

    func learn(value: Value) {
        switch value {
        case .sensitive(let secret): learn(secret.revealed)
        case .list(let items): items.forEach(learn(value:))
        case .object(let fields): fields.values.forEach(learn(value:))
        case .string, .integer, .boolean: break
        }
    }

    /// The text with every learned secret, in any of its forms and any ASCII case, as `(redacted)`.
    public func scrub(_ text: String) -> String {
        let forms = learned.withLock { $0.forms }
        guard !forms.isEmpty else { return text }
        var bytes = Array(text.utf8)
        var changed = false
        let replacement = Array(Self.replacement.utf8)
        for form in forms {
            guard let first = form.first, bytes.count >= form.count else { continue }
            var out: [UInt8] = []
            var index = 0
            var found = false
            while index < bytes.count {
                if Self.lower(bytes[index]) == first, index + form.count <= bytes.count, Self.matches(form, in: bytes, at: index) {
                    if !found { out.reserveCapacity(bytes.count); out += bytes[0..<index]; found = true }
                    out += replacement
                    index += form.count
                } else {
                    if found { out.append(bytes[index]) }
                    index += 1
                }
            }
            if found { bytes = out; changed = true }
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// The value with every string in it scrubbed.
    public func scrub(_ value: Value) -> Value {
        switch value {
        case .string(let text): return .string(scrub(text))
        case .list(let items): return .list(items.map(scrub))
        case .object(let fields): return .object(fields.mapValues(scrub))
        case .integer, .boolean, .sensitive: return value
        }
    }

    /// The forms a secret is sent or echoed in.
    public static func forms(of secret: String) -> [String] {
        let data = Data(secret.utf8)
        let base64 = data.base64EncodedString()
        let unpadded = String(base64.prefix { $0 != "=" })
        let urlSafe = unpadded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        var unreserved = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        unreserved.insert(charactersIn: "-._~")
        let percent = secret.addingPercentEncoding(withAllowedCharacters: unreserved) ?? secret
        var formEncoded = unreserved
        formEncoded.insert(" ")
        let form = (secret.addingPercentEncoding(withAllowedCharacters: formEncoded) ?? secret).replacingOccurrences(of: " ", with: "+")
        return Array(Set([secret, base64, unpadded, urlSafe, percent, form].filter { $0.utf8.count >= minimumLength }))
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }

    static func matches(_ form: [UInt8], in bytes: [UInt8], at start: Int) -> Bool {
        for offset in 1..<form.count where lower(bytes[start + offset]) != form[offset] { return false }
        return true
    }
}

import Crypto
import Foundation
import ManifestLanguage
import PlanModel

/// A plan written by `plan --out`, with what it was made from, so `apply --plan` can refuse it once stale.
///
/// Stale means: the manifest changed, the state changed (lineage or serial), or a live object the plan
/// touches changed at the bank. Secrets are not stored; a changed secret alone does not make it stale.
///
/// Invariant: a plan read back names a manifest inside the plan file's own tree (the git repository holding the plan
/// file, else its folder); with a signing key, it carries an HMAC-SHA256 of its content under that key, and a plan
/// without one, or whose content changed since, is not read.
public struct SavedPlan: Codable, Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public var address: String
        public var action: String
        /// Digest of the remote id and the attributes the bank showed when the plan was made.
        public var live: String
    }

    public var formatVersion: Int
    public var manifestPath: String
    public var environment: String?
    public var allowDelete: Bool
    public var manifestDigest: String
    public var stateLineage: String
    public var stateSerial: Int
    public var changes: [Entry]
    /// The plan as it was shown, for people reading the file.
    public var planText: String
    /// HMAC-SHA256 (hex) of the plan's content under the signing key (`PROVISION_PLAN_KEY`); nil when none was set.
    public var signature: String?

    enum CodingKeys: String, CodingKey {
        case environment, changes
        case formatVersion = "format_version"
        case manifestPath = "manifest_path"
        case allowDelete = "allow_delete"
        case manifestDigest = "manifest_digest"
        case stateLineage = "state_lineage"
        case stateSerial = "state_serial"
        case planText = "plan_text"
        case signature
    }

    /// The environment variable that holds the key plans are signed and checked with.
    public static let keyVariable = "PROVISION_PLAN_KEY"

    /// The signing key `PROVISION_PLAN_KEY` gives (its UTF-8 bytes), nil when it is unset or empty.
    public static func signingKey(in environment: [String: String] = ProcessInfo.processInfo.environment) -> SymmetricKey? {
        guard let text = environment[keyVariable], !text.isEmpty else { return nil }
        return SymmetricKey(data: Data(text.utf8))
    }

    /// - Parameter planText: the plan as it was shown (the text view), kept for people who read the file.
    public init(plan: Plan, manifest: Manifest, state: State, manifestPath: String, allowDelete: Bool, planText: String = "") {
        formatVersion = 1
        self.manifestPath = manifestPath
        environment = manifest.environment
        self.allowDelete = allowDelete
        manifestDigest = Self.digest(of: manifest)
        stateLineage = state.lineage
        stateSerial = state.serial
        changes = Self.entries(plan)
        self.planText = SecretScrubber.process.scrub(planText)
    }

    /// Why the plan no longer matches; empty when it can be applied as saved.
    public func staleness(fresh plan: Plan, manifest: Manifest, state: State) -> [String] {
        var reasons: [String] = []
        if Self.digest(of: manifest) != manifestDigest {
            reasons.append("the manifest changed since the plan was saved")
        }
        if stateLineage.isEmpty && !state.lineage.isEmpty {
            reasons.append("the state changed since the plan was saved (there was none then)")
        } else if state.lineage != stateLineage {
            reasons.append("the state is a different one (lineage \(state.lineage), the plan was made against \(stateLineage))")
        } else if state.serial != stateSerial {
            reasons.append("the state changed since the plan was saved (serial \(stateSerial) → \(state.serial))")
        }
        let now = Dictionary(uniqueKeysWithValues: Self.entries(plan).map { ($0.address, $0) })
        let then = Dictionary(uniqueKeysWithValues: changes.map { ($0.address, $0) })
        for address in Set(now.keys).union(then.keys).sorted() {
            switch (then[address], now[address]) {
            case let (saved?, current?) where saved.action != current.action:
                reasons.append("\(address) would now be \(current.action), not \(saved.action)")
            case let (saved?, current?) where saved.live != current.live:
                reasons.append("\(address) changed at the bank since the plan was saved")
            case (nil, let current?):
                reasons.append("\(address) now needs \(current.action), which the saved plan does not have")
            case (let saved?, nil):
                reasons.append("\(address) no longer needs \(saved.action)")
            default:
                break
            }
        }
        return reasons
    }

    static func entries(_ plan: Plan) -> [Entry] {
        plan.changes.filter(\.isChange).map { change in
            let before = (change.before ?? [:]).keys.sorted().map { "\($0)=\(change.before![$0]!.description)" }.joined(separator: "\n")
            return Entry(address: change.address.description, action: change.action.rawValue, live: hash("\(change.remoteID ?? "-")\n\(before)"))
        }
    }

    static func digest(of manifest: Manifest) -> String {
        var lines = ["environment=\(manifest.environment ?? "-")"]
        for provider in manifest.providers {
            let settings = provider.settings.keys.sorted().map { "\($0)=\(provider.settings[$0]!.description)" }.joined(separator: ",")
            lines.append("provider \(provider.name) \(provider.type) \(provider.endpoint) \(settings)")
        }
        for resource in manifest.resources {
            lines.append("resource \(resource.address) protected=\(resource.protected)\n\(resource.fingerprint)")
        }
        return hash(lines.joined(separator: "\n"))
    }

    static func hash(_ text: String) -> String {
        SHA256.hex(text.utf8)
    }

    /// Writes the plan, signed with `key` when one is given; the manifest's path is recorded relative to the plan file,
    /// so it applies from any folder.
    public func write(to path: String, key: SymmetricKey? = nil) throws {
        var saved = self
        let planFolder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        saved.manifestPath = Self.relativePath(of: URL(fileURLWithPath: manifestPath).standardizedFileURL, from: planFolder)
        saved.signature = nil
        do {
            if let key { saved.signature = try saved.authentication(key) }
            try Self.encoder.encode(saved).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReconcilerError.unwritablePlan(path: path, reason: FileProblem.reason(error))
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The HMAC-SHA256 of the plan as written, without its signature, in hex.
    func authentication(_ key: SymmetricKey) throws -> String {
        var unsigned = self
        unsigned.signature = nil
        let code = HMAC<SHA256>.authenticationCode(for: try Self.encoder.encode(unsigned), using: key)
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// True when `signature` is the plan's HMAC under `key`, compared in constant time.
    func isSigned(with key: SymmetricKey) throws -> Bool {
        guard let signature, let code = Data(hex: signature) else { return false }
        var unsigned = self
        unsigned.signature = nil
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: try Self.encoder.encode(unsigned), using: key)
    }

    /// Reads a saved plan, its manifest path resolved against the plan file's folder. With `key`, a plan that is not
    /// signed with it, or that changed since it was signed, is refused; a manifest outside the plan file's tree
    /// (the git repository holding it, else its folder) is refused whatever the key.
    public static func read(from path: String, key: SymmetricKey? = nil) throws -> SavedPlan {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReconcilerError.unreadablePlan(path: path, reason: FileProblem.reason(error))
        }
        var saved: SavedPlan
        do {
            saved = try JSONDecoder().decode(SavedPlan.self, from: data)
        } catch {
            throw ReconcilerError.unreadablePlan(path: path, reason: "it is not a plan saved by `provision plan --out`")
        }
        if let key {
            guard saved.signature != nil else { throw ReconcilerError.unsignedPlan(path: path) }
            guard (try? saved.isSigned(with: key)) == true else { throw ReconcilerError.alteredPlan(path: path) }
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        if !saved.manifestPath.hasPrefix("/") {
            saved.manifestPath = folder.appendingPathComponent(saved.manifestPath).standardizedFileURL.path
        }
        let tree = ManifestFiles.forManifest(in: folder.standardizedFileURL)
        guard tree.holds(saved.manifestPath) else {
            throw ReconcilerError.planManifestOutside(path: path, manifest: saved.manifestPath, root: tree.root)
        }
        return saved
    }

    /// `target` relative to the folder `base` (both absolute), e.g. `../manifests/bank.yaml`.
    static func relativePath(of target: URL, from base: URL) -> String {
        let targetParts = target.pathComponents, baseParts = base.pathComponents
        var common = 0
        while common < min(targetParts.count, baseParts.count), targetParts[common] == baseParts[common] { common += 1 }
        let ups = Array(repeating: "..", count: baseParts.count - common)
        let rest = Array(targetParts[common...])
        let parts = ups + rest
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}

extension Data {
    /// The bytes of a hex string of even length; nil for anything else.
    init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}

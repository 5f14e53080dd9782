import Crypto
import Foundation
import PlanModel

/// A plan written by `plan --out`, with what it was made from, so `apply --plan` can refuse it once stale.
///
/// Stale means: the manifest changed, the state changed (lineage or serial), or a live object the plan
/// touches changed at the bank. Secrets are not stored; a changed secret alone does not make it stale.
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

    enum CodingKeys: String, CodingKey {
        case environment, changes
        case formatVersion = "format_version"
        case manifestPath = "manifest_path"
        case allowDelete = "allow_delete"
        case manifestDigest = "manifest_digest"
        case stateLineage = "state_lineage"
        case stateSerial = "state_serial"
        case planText = "plan_text"
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
        plan.changes.filter(\.action.isChange).map { change in
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

    /// Writes the plan; the manifest's path is recorded relative to the plan file, so it applies from any folder.
    public func write(to path: String) throws {
        var saved = self
        let planFolder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        saved.manifestPath = Self.relativePath(of: URL(fileURLWithPath: manifestPath).standardizedFileURL, from: planFolder)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(saved).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReconcilerError.unwritablePlan(path: path, reason: FileProblem.reason(error))
        }
    }

    /// Reads a saved plan, its manifest path resolved against the plan file's folder.
    public static func read(from path: String) throws -> SavedPlan {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReconcilerError.unreadablePlan(path: path, reason: FileProblem.reason(error))
        }
        do {
            var saved = try JSONDecoder().decode(SavedPlan.self, from: data)
            if !saved.manifestPath.hasPrefix("/") {
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
                saved.manifestPath = folder.appendingPathComponent(saved.manifestPath).standardizedFileURL.path
            }
            return saved
        } catch {
            throw ReconcilerError.unreadablePlan(path: path, reason: "it is not a plan saved by `provision plan --out`")
        }
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

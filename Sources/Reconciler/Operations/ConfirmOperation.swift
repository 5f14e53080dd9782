import Foundation
import ManifestLanguage
import PlanModel

/// What `confirm` asks for: a manual step's address, or `gate.NAME` of the workspace's environment.
public struct ConfirmRequest: Sendable {
    public var address: String
    /// Kept with the confirmation, e.g. a ticket number.
    public var note: String?
    /// Who confirms: the login name of the person running provision.
    public var by: String
    public var lock: LockPolicy

    public init(address: String, note: String? = nil, by: String, lock: LockPolicy = LockPolicy()) {
        self.address = address
        self.note = note
        self.by = by
        self.lock = lock
    }

    /// The prefix that makes an address a gate of the environment rather than a resource.
    public static let gatePrefix = "gate."

    /// True when the address is `gate.NAME`.
    public var isGate: Bool { address.hasPrefix(Self.gatePrefix) }

    /// How the workspace must be opened: a gate is a person's step and needs no credential (the credentials may be
    /// what the gate waits for); a manual step is recorded with the resource's values, so they must all be there.
    public var credentials: CredentialResolution { isGate ? .deferred : .required }
}

/// What a confirmation recorded.
public enum ConfirmResult: Sendable, Equatable {
    /// A manual step is recorded as done for its current attributes.
    case step(address: String)
    /// A gate of the environment is recorded as confirmed.
    case gate(name: String, environment: String, confirmation: Confirmation)
}

/// Records that a person finished a manual step (for the manifest's current attributes) or confirmed a gate of an
/// environment. Contacts no bank; the journal line is written before the state changes.
public struct ConfirmOperation: Sendable {
    public let request: ConfirmRequest

    public init(_ request: ConfirmRequest) {
        self.request = request
    }

    public func run(in workspace: Workspace, now: Date = Date()) async throws -> ConfirmResult {
        if request.isGate {
            return try await confirmGate(String(request.address.dropFirst(ConfirmRequest.gatePrefix.count)), in: workspace, now: now)
        }
        let resource = try workspace.resource(at: request.address)
        guard resource.capability == .manual else {
            throw ReconcilerError.notManual(address: request.address, capability: resource.capability.rawValue)
        }
        let confirmation = Confirmation(by: request.by, at: ISO8601DateFormatter().string(from: now), note: request.note)
        try await workspace.locked("confirm", request.lock) {
            try await workspace.journaled("confirm") { journal in
                var state = try await workspace.backend.load()
                try await journal.write(JournalEntry(
                    time: confirmation.at, entry: "confirm", address: request.address, action: "confirm", outcome: "confirmed",
                    by: confirmation.by, note: confirmation.note))
                var entry = StateEntry(attributes: resource.attributes, confirmed: DefinitionDigest.of(resource))
                entry.confirmation = confirmation
                state[resource.address] = entry
                try await workspace.backend.save(&state)
            }
        }
        return .step(address: request.address)
    }

    func confirmGate(_ name: String, in workspace: Workspace, now: Date) async throws -> ConfirmResult {
        let gate = try Self.gate(name, of: workspace.manifest)
        let confirmation = Confirmation(by: request.by, at: ISO8601DateFormatter().string(from: now), note: request.note)
        try await workspace.locked("confirm", request.lock) {
            try await workspace.journaled("confirm") { journal in
                var state = try await workspace.backend.load()
                try await journal.write(JournalEntry(
                    time: confirmation.at, entry: "gate", address: gate.address, action: "confirm", outcome: "confirmed",
                    by: confirmation.by, note: confirmation.note))
                state.gates[gate.name] = confirmation
                try await workspace.backend.save(&state)
            }
        }
        return .gate(name: gate.name, environment: workspace.manifest.environment ?? "", confirmation: confirmation)
    }

    /// The gate of the manifest's environment with this name.
    static func gate(_ name: String, of manifest: Manifest) throws -> Gate {
        guard let environment = manifest.environment else { throw ReconcilerError.unknownGate(name: name, environment: nil, known: []) }
        guard let gate = manifest.gates.first(where: { $0.name == name }) else {
            throw ReconcilerError.unknownGate(name: name, environment: environment, known: manifest.gates.map(\.name))
        }
        return gate
    }
}

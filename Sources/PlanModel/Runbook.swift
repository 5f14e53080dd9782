/// Every step a person must take for one environment, across providers, in the order to take them: the
/// environment's gates first, in their declared order, then portal, e-mail and browser steps as the dependency graph
/// orders them.
///
/// Invariant: every step's `record` is a whole command that runs when pasted in the folder provision ran in; a step
/// whose status comes from state and the manifest alone has `verified` false.
public struct Runbook: Sendable, Equatable {
    /// The environment, when one is in use.
    public var environment: String?
    /// The manifest path as the person wrote it.
    public var manifestPath: String
    public var steps: [RunbookStep]
    /// Providers whose statuses were not seen at the bank in this run, with why (offline, or the bank's error).
    public var unverified: [UnverifiedProvider]

    public init(environment: String?, manifestPath: String, steps: [RunbookStep], unverified: [UnverifiedProvider] = []) {
        self.environment = environment
        self.manifestPath = manifestPath
        self.steps = steps
        self.unverified = unverified
    }

    /// How many steps are done.
    public var done: Int { steps.count(where: { $0.status.state == .done }) }

    /// "n of m done".
    public var summary: String { "\(done) of \(steps.count) done" }
}

/// A provider whose steps' statuses come from state and the manifest, and why.
public struct UnverifiedProvider: Sendable, Equatable {
    /// The provider instance's name.
    public var provider: String
    /// Why: `offline` was asked for, or the bank's error in words.
    public var reason: String

    public init(provider: String, reason: String) {
        self.provider = provider
        self.reason = reason
    }
}

/// One step a person takes: what, who, its status, the command that records it, and what it unblocks.
public struct RunbookStep: Sendable, Equatable {
    /// What kind of step, from how the engine reaches it.
    public enum Kind: String, Sendable, CaseIterable {
        /// A named step of the environment's journey (`environments.E.gates`).
        case gate
        /// A portal or e-mail step only a person can do (a `manual` kind).
        case manual
        /// A step the API starts and a person finishes in a browser (an `interactive` kind).
        case interactive
        /// Something a person registers at the bank that the plan checks exists (an `observed` kind).
        case observed

        /// The kind in a few words, for people.
        public var label: String {
            switch self {
            case .gate: "gate"
            case .manual: "portal or e-mail step"
            case .interactive: "browser step"
            case .observed: "registered by a person"
            }
        }
    }

    /// `gate.NAME`, or the resource's address.
    public var address: String
    public var kind: Kind
    /// The provider instance; nil for a gate.
    public var provider: String?
    /// What to do, one line each (the plan's person steps, or the gate's instructions).
    public var instructions: [String]
    /// `owner:`, who does it.
    public var owner: String?
    public var status: RunbookStatus
    /// The command that records it (or, for a browser step, starts and records it).
    public var record: String
    /// The steps and resources waiting on this one (for a gate, everything apply would do), in order.
    public var unblocks: [String]

    public init(
        address: String, kind: Kind, provider: String?, instructions: [String], owner: String?, status: RunbookStatus, record: String,
        unblocks: [String]
    ) {
        self.address = address
        self.kind = kind
        self.provider = provider
        self.instructions = instructions
        self.owner = owner
        self.status = status
        self.record = record
        self.unblocks = unblocks
    }
}

/// Where a step stands, and how that is known.
public struct RunbookStatus: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case done
        /// Nothing holds it back: a person can do it now.
        case pending
        /// Another step must be done first (`waitsFor`).
        case waiting
    }

    public var state: State
    /// What shows it, one line each: the probe's words per part, what the bank lists, what is missing in the bank's words.
    public var evidence: [String]
    /// Who confirmed it, when, and their note.
    public var confirmation: Confirmation?
    /// The steps it waits for, when waiting.
    public var waitsFor: [String]
    /// Seen at the bank (or, for a gate, in the state) in this run; false when it comes from state and the manifest only.
    public var verified: Bool

    public init(state: State, evidence: [String] = [], confirmation: Confirmation? = nil, waitsFor: [String] = [], verified: Bool = true) {
        self.state = state
        self.evidence = evidence
        self.confirmation = confirmation
        self.waitsFor = waitsFor
        self.verified = verified
    }

    /// The status in a few words: `done`, `pending`, `waiting for A, B`, with `(unverified)` when not seen at the bank.
    public var headline: String {
        let words = state == .waiting ? "waiting for " + waitsFor.joined(separator: ", ") : state.rawValue
        return verified ? words : words + " (unverified)"
    }

    /// The confirmation in words: `confirmed by NAME at TIME` and the note; nil when there is none.
    public var confirmationLine: String? {
        confirmation.map { "confirmed by \($0.by) at \($0.at)" + ($0.note.map { ", note: \($0)" } ?? "") }
    }
}

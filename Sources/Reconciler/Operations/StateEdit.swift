import PlanModel

/// What `state mv` and `state rm` ask for: move one entry to another address, or forget one without deleting it.
public enum StateEditRequest: Sendable, Equatable {
    /// The entry at `from` is tracked at `to` from now on (a rename); the bank object is not touched.
    case move(from: ResourceAddress, to: ResourceAddress)
    /// The entry is dropped: provision stops managing the object, which stays at the bank; the next plan offers to
    /// adopt it when the manifest still declares it.
    case remove(ResourceAddress)
}

/// Moves or removes one state entry, for one-off refactoring, through whatever backend holds the state.
///
/// Invariant: the state lock is held and the journal line written before the state changes; no bank is contacted.
public struct StateEdit: Sendable {
    public let request: StateEditRequest
    public let lock: LockPolicy

    public init(_ request: StateEditRequest, lock: LockPolicy = LockPolicy()) {
        self.request = request
        self.lock = lock
    }

    /// The entry moved or removed.
    public func run(in workspace: Workspace) async throws -> StateEntry {
        let operation = if case .move = request { "state mv" } else { "state rm" }
        return try await workspace.locked(operation, lock) {
            try await workspace.journaled(operation) { journal in
                var state = try await workspace.backend.load()
                let entry = try await edit(&state, journal: journal)
                try await workspace.backend.save(&state)
                return entry
            }
        }
    }

    func edit(_ state: inout State, journal: Journal) async throws -> StateEntry {
        let tracked = state.resources.keys.sorted().map(\.description)
        switch request {
        case .move(let from, let to):
            guard let entry = state[from] else { throw ReconcilerError.notInState(address: from.description, known: tracked) }
            guard state[to] == nil else { throw ReconcilerError.alreadyInState(address: to.description) }
            try await journal.write(JournalEntry(entry: "move", address: to.description, action: "move", remoteID: entry.remoteID, note: "from \(from)"))
            state[from] = nil
            state[to] = entry
            return entry
        case .remove(let address):
            guard let entry = state[address] else { throw ReconcilerError.notInState(address: address.description, known: tracked) }
            try await journal.write(JournalEntry(entry: "forget", address: address.description, action: "remove", remoteID: entry.remoteID))
            state[address] = nil
            return entry
        }
    }
}

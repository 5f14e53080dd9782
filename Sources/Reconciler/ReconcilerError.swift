import PlanModel

/// A failure of the engine itself rather than of a bank call.
public enum ReconcilerError: Error, Sendable, CustomStringConvertible {
    case unresolvedReference(address: ResourceAddress, reference: ResourceAddress?)
    case noProvider(instance: String)
    case providerNotAvailable(instance: String, type: String)
    case planHasErrors(count: Int)
    case stateUnreadable(path: String, reason: String)
    case stateUnwritable(path: String, reason: String)
    case notManual(address: String, capability: String)
    /// `lockID` is the holder's lock id when the lock could be read: what `provision state unlock` takes.
    case stateLocked(path: String, holder: String, lockID: String?)
    case stalePlan(path: String, reasons: [String])
    case unreadablePlan(path: String, reason: String)
    case unwritablePlan(path: String, reason: String)
    /// `PROVISION_PLAN_KEY` is set and the saved plan carries no signature.
    case unsignedPlan(path: String)
    /// The saved plan's signature does not match its content under `PROVISION_PLAN_KEY`.
    case alteredPlan(path: String)
    /// The saved plan names a manifest outside the plan file's own tree.
    case planManifestOutside(path: String, manifest: String, root: String)
    case unsafePlan(violations: [String])
    case notLocked(path: String)
    case lockHolderAlive(path: String, holder: String)
    case lockMismatch(path: String, given: String, holder: String)
    case unknownAddress(address: String, known: [String])
    /// Another writer saved the state since this run read it; `writer` says who, when the backend knows.
    case stateConflict(location: String, read: Int, found: Int, writer: String?)
    /// A migration's target already holds a state.
    case stateExists(location: String, lineage: String, serial: Int)
    /// `gates`: each unconfirmed gate's words and the command that confirms it.
    case journeyIncomplete(environment: String, gates: [(gate: String, confirm: String)], promotesFrom: String?, unproven: [String])
    case unknownGate(name: String, environment: String?, known: [String])
    /// A provider's settings that its bank cannot use, found when connecting it without `validate`.
    case invalidSettings(instance: String, problems: [String])
    /// A bank's list that does not add up (an id named twice): nothing is planned from it.
    case inconsistentList(provider: String, kind: String, reason: String)
    /// `state mv` or `state rm` of an address state does not track.
    case notInState(address: String, known: [String])
    /// `state mv` to an address state already tracks.
    case alreadyInState(address: String)
    /// A migration's target is the state's current backend.
    case sameBackend(location: String)
    case nothingToMigrate(location: String)
    /// The migrated state read back from the target differs from the source.
    case migrationMismatch(location: String)
    /// A plan that changes something needs a person's approval, and nobody can be asked here.
    case approvalUnavailable(reason: String)
    /// The journal could not be opened or a line could not be written: the operation stopped there.
    case journalUnwritable(location: String, reason: String)
    /// A step that the engine cannot take for this resource (not a bank's refusal): what, and how to go on.
    case unsupportedStep(address: String, what: String, fix: String)

    /// The error with each text another process, a file or a bank supplied (a lock holder, a writer, a reason read
    /// from a file, an address from state) passed through `quote`, the escape of the medium it is shown in.
    public func quoting(_ quote: (String) -> String) -> ReconcilerError {
        switch self {
        case .stateLocked(let path, let holder, let lockID): return .stateLocked(path: quote(path), holder: quote(holder), lockID: lockID.map(quote))
        case .lockHolderAlive(let path, let holder): return .lockHolderAlive(path: quote(path), holder: quote(holder))
        case .lockMismatch(let path, let given, let holder): return .lockMismatch(path: quote(path), given: quote(given), holder: quote(holder))
        case .stateConflict(let location, let read, let found, let writer):
            return .stateConflict(location: quote(location), read: read, found: found, writer: writer.map(quote))
        case .stateUnreadable(let path, let reason): return .stateUnreadable(path: quote(path), reason: quote(reason))
        case .stateUnwritable(let path, let reason): return .stateUnwritable(path: quote(path), reason: quote(reason))
        case .stalePlan(let path, let reasons): return .stalePlan(path: quote(path), reasons: reasons.map(quote))
        case .unreadablePlan(let path, let reason): return .unreadablePlan(path: quote(path), reason: quote(reason))
        case .planManifestOutside(let path, let manifest, let root): return .planManifestOutside(path: quote(path), manifest: quote(manifest), root: quote(root))
        case .unknownAddress(let address, let known): return .unknownAddress(address: quote(address), known: known.map(quote))
        case .unsupportedStep(let address, let what, let fix): return .unsupportedStep(address: quote(address), what: quote(what), fix: fix)
        case .journalUnwritable(let location, let reason): return .journalUnwritable(location: quote(location), reason: quote(reason))
        default: return self
        }
    }

    /// The error's words, with the commands it suggests written for the default invocation (the current folder).
    public var description: String { description(for: Invocation()) }

    /// The error's words, with every command it suggests written for `invocation`, so that it runs when pasted.
    public func description(for invocation: Invocation) -> String {
        switch self {
        case .unresolvedReference(let address, let reference):
            return "\(address): \(reference?.description ?? "its reference") has no id at the bank yet. Run plan again; if it is missing, create or register it first."
        case .noProvider(let instance):
            return "No provider \"\(instance)\" is configured. Declare it under providers:."
        case .providerNotAvailable(let instance, let type):
            return "Provider \"\(instance)\" is of type \(type), which this version of provision can validate but not yet plan or apply. Plan it with a later version, or leave it out for now."
        case .planHasErrors(let count):
            return "The plan has \(count) error\(count == 1 ? "" : "s") (shown above); nothing was applied. Fix them and run again."
        case .stateUnreadable(let path, let reason):
            return "Cannot read state \(path): \(reason). Restore it from \(path).backup or move it away to start over (resources will be adopted by their natural keys)."
        case .stateUnwritable(let path, let reason):
            return "Cannot write state \(path): \(reason). Check the folder's permissions and free space."
        case .stateLocked(let path, let holder, let lockID?):
            return "State is locked (\(path)): \(holder). Wait for it to finish or pass --lock-timeout; if that process is gone, run `\(invocation.command(["state", "unlock"], arguments: [lockID]))`."
        case .stateLocked(let path, let holder, nil):
            return "State is locked (\(path)): \(holder). Wait for it to finish or pass --lock-timeout; if that process is gone, run `\(invocation.command(["state", "unlock"], arguments: ["ID"]))` with the lock's id."
        case .stalePlan(let path, let reasons):
            return "The saved plan \(path) is stale and was not applied: " + reasons.joined(separator: "; ") + ". Run `\(invocation.command(["plan"], options: ["--out", path]))` again, review it, and apply the new one."
        case .unreadablePlan(let path, let reason):
            return "Cannot read saved plan \(path): \(reason). Make it with `\(invocation.command(["plan"], options: ["--out", path]))`."
        case .unsignedPlan(let path):
            return "The saved plan \(path) is not signed, and PROVISION_PLAN_KEY is set, so it was not applied. Make the plan with `\(invocation.command(["plan"], options: ["--out", path]))` where PROVISION_PLAN_KEY holds the same key."
        case .alteredPlan(let path):
            return "The saved plan \(path) was changed after it was signed, or signed with another key than PROVISION_PLAN_KEY, so it was not applied. Apply only the plan file the plan job wrote; make a new one with `\(invocation.command(["plan"], options: ["--out", path]))`."
        case .planManifestOutside(let path, let manifest, let root):
            return "The saved plan \(path) names the manifest \(manifest), outside the plan file's tree \(root), so it was not applied. Keep the plan file in the repository (or folder) of the manifest it was made from, and make it again with `\(invocation.command(["plan"], options: ["--out", path]))`."
        case .unwritablePlan(let path, let reason):
            return "Cannot write the plan to \(path): \(reason). Choose a file in a folder that exists and can be written."
        case .unsafePlan(let violations):
            return violations.joined(separator: "\n")
        case .lockHolderAlive(let path, let holder):
            return "The state lock (\(path)) is held by a process still running on this host: \(holder). Let it finish or stop it; unlocking a live apply invites duplicates. If you are sure, run unlock again with --force."
        case .notLocked(let path):
            return "State is not locked (\(path)); nothing to unlock."
        case .lockMismatch(let path, let given, let holder):
            return "Lock id \(given) does not match the lock held (\(path)): \(holder). Check the id and run again."
        case .notManual(let address, let capability):
            return "\(address) is \(capability), not a manual step; only manual steps are confirmed by hand."
        case .stateConflict(let location, let read, let found, let writer):
            let who = writer.map { " by \($0)" } ?? ""
            return "State \(location) was saved\(who) (serial \(found)) after this run read it at serial \(read); nothing was overwritten. Run the command again: it plans from the newer state."
        case .stateExists(let location, let lineage, let serial):
            return "State \(location) already holds a state (lineage \(lineage), serial \(serial)); nothing was written. Migrate to another name or schema, or remove that state first."
        case .unknownAddress(let address, let known):
            let hint = Suggestion.nearest(to: address, in: known).map { " Did you mean \($0)?" } ?? ""
            return "No resource \(address) in the manifest.\(hint)"
        case .journeyIncomplete(let environment, let gates, let promotesFrom, let unproven):
            var lines = ["Apply in \(environment) is refused until its journey allows it:"]
            for (index, gate) in gates.enumerated() {
                lines += ["  gate \(index + 1), not confirmed: \(gate.gate)", "    when done: \(gate.confirm)"]
            }
            if !gates.isEmpty { lines.append("  (--note TEXT keeps a ticket number with a confirmation)") }
            if let promotesFrom, !unproven.isEmpty {
                lines.append("  not yet converged in \(promotesFrom) with the same definition (apply --env \(promotesFrom) first):")
                lines += unproven.map { "    \($0)" }
            }
            return lines.joined(separator: "\n")
        case .invalidSettings(let instance, let problems):
            return "Provider \"\(instance)\" has settings its bank cannot use: " + problems.joined(separator: "; ") + ". Run provision validate for where each is, and fix it."
        case .inconsistentList(let provider, let kind, let reason):
            return "\(provider).\(kind): \(reason); a list that does not add up plans nothing. Run plan again; if it persists, ask the bank about the list."
        case .notInState(let address, let known):
            let hint = Suggestion.nearest(to: address, in: known).map { " Did you mean \($0)?" } ?? ""
            return "State tracks nothing at \(address).\(hint) `\(invocation.command(["state", "list"]))` shows what it tracks."
        case .alreadyInState(let address):
            return "State already tracks \(address); nothing was moved. Remove that entry first (`\(invocation.command(["state", "rm"], arguments: [address]))`) if it is stale."
        case .sameBackend(let location):
            return "--to names the state's current backend (\(location)); give another one."
        case .nothingToMigrate(let location):
            return "There is no state to migrate at \(location)."
        case .migrationMismatch(let location):
            return "The state read back from \(location) differs from the source; nothing else was changed. Check the target and remove its copy."
        case .approvalUnavailable(let reason):
            return "apply needs approval: \(reason), so pass --auto-approve."
        case .journalUnwritable(let location, let reason):
            return "Cannot write the journal at \(location): \(reason). The operation stopped before its next bank call or state change; every journal line written so far is kept. Make the journal writable (folder permissions, free space, the database's grants) and run again."
        case .unsupportedStep(let address, let what, let fix):
            return "\(address): \(what). \(fix)"
        case .unknownGate(let name, let environment, let known):
            guard let environment else { return "Gates belong to an environment: confirm gate.\(name) with --env and the environment whose gates: declares it." }
            let list = known.isEmpty ? "it declares none" : "it declares " + known.joined(separator: ", ")
            return "Environment \(environment) has no gate \(name) (\(list)). Check environments.\(environment).gates in the manifest."
        }
    }
}

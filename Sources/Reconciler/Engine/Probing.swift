import PlanModel

/// Verifies a manual kind by probe: calls with the resource's own credentials whose answers show, part by part,
/// whether a person did the portal steps. What no probe can see is reported as needing `provision confirm`.
///
/// A manual kind's handler adopts it; refresh then probes each desired resource instead of listing the kind.
/// A probe must never change anything at the bank (e.g. an unsigned, empty body the bank cannot execute).
public protocol Probing: KindHandler {
    /// What each part of `resource` showed; a failure to reach the bank throws, as any refresh call would.
    func probe(_ resource: Resource, known: RemoteIDs) async throws -> [ProbedPart]
}

extension Probing {
    /// A probed kind is not listed.
    public func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] { [] }
}

/// A kind the bank cannot read back: refresh takes what state recorded as the live object.
///
/// So the plan compares the manifest with the last apply, and a change made at the bank outside the tool cannot
/// be seen; the plan says so once for the kind.
public protocol RecordedOnly: KindHandler {}

extension RecordedOnly {
    public func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] { [] }
}

/// Finishes a person's browser step from the URL the browser was sent back to (e.g. an OAuth redirect with a code),
/// for a person who pastes it because nothing could listen for it.
public protocol RedirectCompleting: KindHandler {
    /// The resource once done; throws when the URL does not belong to the step in `pending` or the bank refuses it.
    func complete(_ resource: Resource, redirect: String, known: RemoteIDs, pending: PendingStep) async throws -> AppliedResource
}

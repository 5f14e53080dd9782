import PlanModel
import Synchronization

/// A kind whose list calls need nothing the kinds refreshed before it find, so the engine sends them at the
/// start of a refresh, beside the earlier kinds' calls, instead of after them.
///
/// Invariant: what is listed is still turned into objects, and matched, in dependency order: `objects(in:)`
/// runs only once every kind this one depends on has been refreshed.
public protocol Prefetching: KindHandler {
    associatedtype Listing: Sendable
    /// The list calls (every page); they may run before any other kind is refreshed.
    func fetchList() async throws -> Listing
    /// The live objects of a listing, once the kinds this one depends on are refreshed.
    func objects(in listing: Listing, desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject]
}

extension Prefetching {
    public func list(_ desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject] {
        try await objects(in: fetchList(), desired: desired, known: known)
    }

    /// Sends the list calls now; the task's value turns the listing into objects when the refresh reaches the kind.
    func listAhead() -> Task<ListsAhead.Objects, any Error> {
        Task {
            let listing = try await fetchList()
            return { desired, known in try await objects(in: listing, desired: desired, known: known) }
        }
    }
}

/// The list calls a refresh sent ahead, one per prefetching kind; cancelled when the refresh ends.
///
/// A kind's listing is let go once its objects are made: a list of 50,000 accounts is 13 MB that matching does not need.
final class ListsAhead: Sendable {
    typealias Objects = @Sendable (ArraySlice<Resource>, RemoteIDs) async throws -> [LiveObject]

    private let tasks: Mutex<[String: Task<Objects, any Error>]>

    init(_ handlers: [String: any Prefetching]) {
        tasks = Mutex(handlers.mapValues { $0.listAhead() })
    }

    /// The kind's objects from the listing sent ahead; nil for a kind not listed ahead (or already taken).
    func objects(of kind: String, desired: ArraySlice<Resource>, known: RemoteIDs) async throws -> [LiveObject]? {
        guard let task = tasks.withLock({ $0.removeValue(forKey: kind) }) else { return nil }
        return try await task.value(desired, known)
    }

    func cancel() {
        for task in tasks.withLock({ $0.values }) { task.cancel() }
    }
}

import Foundation
import Hummingbird

/// One bank's simulated API: where it is mounted, how it is seeded and kept, and the routes it serves.
///
/// A bank lives in a folder of its own and is served once its type is listed in `SimulatorRegistry.all`.
protocol BankSimulator: Sendable {
    /// The bank's part of a seed file, validated.
    associatedtype Seed: Sendable

    /// Path prefix, e.g. `/finan/open`; every request at or below it is this bank's to answer.
    static var mount: String { get }
    /// The seed file's key for this bank, e.g. `finan`.
    static var seedSection: String { get }
    /// The world's file in the data folder, e.g. `finan.json`.
    static var worldFileName: String { get }
    /// The seed used when there is no seed file, or it does not name this bank.
    static var defaultSeed: Seed { get }

    /// Validates and reads this bank's section of a seed file, as `JSONSerialization` parsed it.
    ///
    /// Throws `SeedProblem` or `DecodingError`; the loader adds the seed file's path.
    static func seed(from section: Any) throws -> Seed

    /// The simulator, its world read from `worldFile` when that exists, otherwise started from `seed`.
    ///
    /// A nil `worldFile` keeps the world in memory only.
    init(seed: Seed, worldFile: URL?, configuration: SandboxConfiguration) throws

    /// Registers the bank's routes on its router group (mounted at `mount`), and its answers for requests no route takes.
    func addRoutes(to group: RouterGroup<BasicRequestContext>)

    /// Stops the simulator's background work; called once the sandbox no longer serves requests.
    func shutdown() async

    /// What `provision sandbox serve` prints about this bank when it starts (e.g. the key its answers are signed with).
    func startupNotes() async -> [String]
}

extension BankSimulator {
    func shutdown() async {}

    func startupNotes() async -> [String] { [] }
}

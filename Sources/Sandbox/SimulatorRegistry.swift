import Foundation

/// The bank simulators the sandbox serves, one line a bank.
enum SimulatorRegistry {
    static let all: [any BankSimulator.Type] = [
        FinanSimulator.self,
        SePaySimulator.self,
        VietinSimulator.self,
        ICICISimulator.self,
    ]

    /// Seed sections of banks that have no simulator yet; a seed file may name them, and they are ignored.
    static let reservedSeedSections: [String] = []

    /// The top-level keys a seed file may have.
    static var seedSections: [String] {
        all.map { $0.seedSection } + reservedSeedSections
    }

    /// Every simulator of `all`, in its order; every seed section is validated before any world is read or written.
    static func simulators(for configuration: SandboxConfiguration) throws -> [any BankSimulator] {
        let sections = try configuration.seedFile.map(SandboxSeed.sections(path:)) ?? [:]
        let folder = configuration.dataDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let builders = try all.map { try builder(of: $0, sections: sections, configuration: configuration) }
        return try builders.map { try $0(folder) }
    }

    /// Reads the seed of `Simulator` now; the simulator is built, its world read or written, when the builder is called.
    private static func builder<Simulator: BankSimulator>(
        of _: Simulator.Type, sections: [String: Any], configuration: SandboxConfiguration
    ) throws -> (URL?) throws -> any BankSimulator {
        let seed = try SandboxSeed.seed(of: Simulator.self, in: sections, path: configuration.seedFile)
        return { folder in
            try Simulator(seed: seed, worldFile: folder?.appendingPathComponent(Simulator.worldFileName), configuration: configuration)
        }
    }
}

import Foundation

/// Reads a seed file: one section a bank, each validated by its simulator; a bank the file does not name keeps its defaults.
enum SandboxSeed {
    /// The sections of the seed file at `path`, by bank; a section no bank of the registry knows is an error.
    static func sections(path: String) throws -> [String: Any] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SandboxError.unreadableSeed(path: path, reason: error.localizedDescription)
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SandboxError.invalidSeed(path: path, reason: "not valid JSON (\((error as NSError).localizedDescription))")
        }
        guard let top = parsed as? [String: Any] else {
            throw SandboxError.invalidSeed(path: path, reason: "the top level must be a JSON object such as {\"finan\": {...}}")
        }
        let known = SimulatorRegistry.seedSections
        if let unknown = top.keys.sorted().first(where: { !known.contains($0) }) {
            throw SandboxError.invalidSeed(path: path, reason: "unknown section \"\(unknown)\"; known: \(known.joined(separator: ", "))")
        }
        return top
    }

    /// The seed of `Simulator`: its section of the seed file at `path`, or its defaults when there is none.
    static func seed<Simulator: BankSimulator>(
        of _: Simulator.Type, in sections: [String: Any], path: String?
    ) throws -> Simulator.Seed {
        guard let path, let section = sections[Simulator.seedSection] else { return Simulator.defaultSeed }
        do {
            return try Simulator.seed(from: section)
        } catch let error as DecodingError {
            throw SandboxError.invalidSeed(path: path, reason: "\(Simulator.seedSection): \(describe(error))")
        } catch let problem as SeedProblem {
            throw SandboxError.invalidSeed(path: path, reason: problem.reason)
        }
    }

    /// Rejects keys a section does not define, so a misspelt optional field is not silently ignored.
    static func checkKeys(_ value: Any, known: [String], at location: String) throws {
        guard let object = value as? [String: Any] else { return }
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw SeedProblem(reason: "unknown key \"\(unknown)\" in \(location); known: \(known.joined(separator: ", "))")
        }
    }

    /// Rejects checked keys in each element of an array section, e.g. every client of `clients`.
    static func checkKeys(ofEach value: Any?, known: [String], at location: String) throws {
        for (index, element) in (value as? [Any] ?? []).enumerated() {
            try checkKeys(element, known: known, at: "\(location)[\(index)]")
        }
    }

    static func checkUnique(_ values: [String], what: String, at location: String) throws {
        var seen: Set<String> = []
        for value in values where !seen.insert(value).inserted {
            throw SeedProblem(reason: "\(what) \"\(value)\" appears twice in \(location)")
        }
    }

    /// Decodes a section as `JSONSerialization` parsed it.
    static func decode<Section: Decodable>(_ type: Section.Type, from section: Any) throws -> Section {
        try JSONDecoder().decode(Section.self, from: JSONSerialization.data(withJSONObject: section))
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(pathText(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(pathText(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }

    static func pathText(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "top level" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// A structural mistake in a seed section, reported with its location.
struct SeedProblem: Error {
    var reason: String
}

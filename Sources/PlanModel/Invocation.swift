/// How a person ran provision: the manifest path as they wrote it, the environment and the state they chose.
///
/// Every command the tool prints for a person to run next (`provision confirm …`, `provision apply …`) is rendered
/// here, so that it runs when pasted in the folder the first command ran in. Invariant: a rendered command names the
/// manifest path unless it is the default `.`, names `--env` whenever an environment is in use and `--state` whenever
/// one was given, and quotes each word a POSIX shell would split or expand.
public struct Invocation: Sendable, Equatable {
    /// The manifest path a command takes when none is given.
    public static let defaultPath = "."

    /// The manifest file or folder, as the person wrote it (relative to where they ran provision).
    public var manifestPath: String
    /// `--env`, when an environment is in use.
    public var environment: String?
    /// `--state`, when the person gave one.
    public var state: String?

    public init(manifestPath: String = Invocation.defaultPath, environment: String? = nil, state: String? = nil) {
        self.manifestPath = manifestPath
        self.environment = environment
        self.state = state
    }

    /// `provision SUBCOMMAND ARGUMENTS [PATH] [--env E] [--state S] OPTIONS`: the words of `subcommand` (e.g.
    /// `["state", "unlock"]`), its positional `arguments` before the manifest path, and `options` at the end.
    public func command(_ subcommand: [String], arguments: [String] = [], options: [String] = []) -> String {
        var words = ["provision"] + subcommand + arguments
        if !Self.isDefault(manifestPath) { words.append(manifestPath) }
        if let environment { words += ["--env", environment] }
        if let state { words += ["--state", state] }
        words += options
        return words.map(Self.quoted).joined(separator: " ")
    }

    /// `provision confirm ADDRESS …`: records a manual step, or `gate.NAME`, as done.
    public func confirm(_ address: String) -> String {
        command(["confirm"], arguments: [address])
    }

    /// `provision consent ADDRESS …`: finishes an OAuth consent from the URL the browser reached, which it asks for.
    public func consent(_ address: String) -> String {
        command(["consent"], arguments: [address])
    }

    /// `provision apply …`: starts the steps a browser finishes, and records what people finished.
    public var apply: String { command(["apply"]) }

    /// `provision plan …`.
    public var plan: String { command(["plan"]) }

    /// True for the path a command assumes when none is given.
    static func isDefault(_ path: String) -> Bool {
        path == defaultPath || path == "./"
    }

    /// The word as a POSIX shell reads it back unchanged: as it is when every character is safe, else in single quotes.
    public static func quoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")
        if !word.isEmpty, word.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

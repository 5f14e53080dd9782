/// Why the sandbox could not start.
public enum SandboxError: Error, CustomStringConvertible, Sendable {
    case unreadableSeed(path: String, reason: String)
    case invalidSeed(path: String, reason: String)
    case unreadableWorld(path: String, reason: String)
    case unwritableWorld(path: String, reason: String)
    case bindFailed(host: String, port: Int, reason: String)
    /// Another server serves the data folder.
    case dataInUse(path: String, holder: String)

    public var description: String {
        switch self {
        case .unreadableSeed(let path, let reason):
            return "Cannot read sandbox seed file \(path): \(reason). Check the path."
        case .invalidSeed(let path, let reason):
            return "Invalid sandbox seed file \(path): \(reason). See docs/sandbox.md for the format."
        case .unreadableWorld(let path, let reason):
            return "Cannot read the sandbox world \(path): \(reason). Delete it to start from the seed again."
        case .unwritableWorld(let path, let reason):
            return "Cannot write the sandbox world \(path): \(reason). Check the data folder's permissions."
        case .dataInUse(let path, let holder):
            return "The sandbox data folder \(path) is served by another sandbox (\(holder)); two servers on one folder would lose each other's writes. Stop that one, or pass another --data."
        case .bindFailed(let host, let port, let reason):
            return "Cannot listen on \(host):\(port): \(reason). Pick another --port, or 0 for any free port."
        }
    }

    /// Why the server could not listen, in words: never NIO's `bind(descriptor:…)` text.
    static func bindReason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("Address already in use") { return "the address is already in use by another program" }
        if text.contains("Permission denied") { return "permission denied (ports below 1024 need privileges)" }
        if text.contains("Cannot assign requested address") { return "this machine has no such address" }
        return text
    }
}

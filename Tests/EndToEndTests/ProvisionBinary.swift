import Foundation

/// Runs the built `provision` executable, which SwiftPM builds beside the test bundle.
struct ProvisionBinary {
    struct Result: Sendable {
        var status: Int32
        var output: String
        var errors: String
    }

    let url: URL

    init() throws {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("provision"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("provision"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("provision"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "provision binary not found near \(candidates[0].path)"])
        }
        url = found
    }

    /// Runs the binary to its end; its environment is this process's with `environment` laid over it, or, with
    /// `inheriting: false`, exactly `environment`.
    func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:], inheriting: Bool = true) throws -> Result {
        let (process, output, errors) = makeProcess(arguments, in: directory, environment: environment, inheriting: inheriting)
        try process.run()
        let (outData, errData) = drainToEnd(output: output, errors: errors)
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
            errors: String(decoding: errData, as: UTF8.self))
    }
}

extension ProvisionBinary {
    func makeProcess(_ arguments: [String], in directory: URL, environment: [String: String], inheriting: Bool = true) -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = inheriting ? ProcessInfo.processInfo.environment.merging(environment) { _, new in new } : environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        return (process, output, errors)
    }

    /// Runs the binary to its end on a thread of its own, so that waiting for it holds no thread of the cooperative pool
    /// (a sandbox in this process answers on that pool).
    func finish(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { done in
            Thread.detachNewThread { done.resume(with: Swift.Result { try run(arguments, in: directory, environment: environment) }) }
        }
    }

    /// Starts the binary without waiting for it; its output is read as it comes.
    func start(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> RunningProvision {
        let (process, output, errors) = makeProcess(arguments, in: directory, environment: environment)
        try process.run()
        return RunningProvision(process: process, output: output, errors: errors)
    }
}

extension ProvisionBinary {
    /// Starts `provision sandbox serve --port 0 --data DATA` and returns it once it has printed a whole line holding
    /// `marker`, with what it printed so far; the caller stops it.
    func serve(data: URL, until marker: String) throws -> (process: Process, printed: String) {
        let server = Process()
        server.executableURL = url
        server.arguments = ["sandbox", "serve", "--port", "0", "--data", data.path]
        let pipe = Pipe()
        server.standardOutput = pipe
        server.standardError = FileHandle.nullDevice
        try server.run()
        var text = ""
        while !(text.range(of: marker).map { text[$0.upperBound...].contains("\n") } ?? false),
              case let chunk = pipe.fileHandleForReading.availableData, !chunk.isEmpty {
            text += String(decoding: chunk, as: UTF8.self)
        }
        return (server, text)
    }
}

/// A `provision` process started by a test: its pid, and its result once it exits.
final class RunningProvision: Sendable {
    let pid: Int32
    let result: Task<ProvisionBinary.Result, Never>

    init(process: Process, output: Pipe, errors: Pipe) {
        pid = process.processIdentifier
        result = Task {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    let group = DispatchGroup()
                    nonisolated(unsafe) var outData = Data(), errData = Data()
                    DispatchQueue.global().async(group: group) { outData = output.fileHandleForReading.readDataToEndOfFile() }
                    DispatchQueue.global().async(group: group) { errData = errors.fileHandleForReading.readDataToEndOfFile() }
                    group.wait()
                    process.waitUntilExit()
                    continuation.resume(returning: ProvisionBinary.Result(
                        status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                        errors: String(decoding: errData, as: UTF8.self)))
                }
            }
        }
    }

    /// Kills the process at once (SIGKILL), as a crash or an out-of-memory kill would.
    func kill() {
        _ = Foundation.kill(pid, SIGKILL)
    }
}

/// A fresh temporary folder holding a copy of one of the repository's examples.
func copyOfExample(_ name: String) throws -> URL {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let source = root.appendingPathComponent("examples/\(name)")
    let target = FileManager.default.temporaryDirectory.appendingPathComponent("provision-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    // Manifests, and the folders they read `${file:}` values from (e.g. keys/).
    for file in try FileManager.default.contentsOfDirectory(atPath: source.path) where file.hasSuffix(".yaml") || file == "keys" {
        try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target.appendingPathComponent(file))
    }
    return target
}

/// Made-up values for the variables an example reads without a default (a bank's real credentials), so it loads.
func variablesWithoutDefaults(in folder: URL) throws -> [String: String] {
    var variables: [String: String] = [:]
    for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".yaml") {
        let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        for match in text.matches(of: /\$\{env:([A-Za-z0-9_]+)\}/) {
            variables[String(match.1)] = "made-up-\(match.1.lowercased())"
        }
    }
    return variables
}

/// Every example folder in the repository that holds a manifest (`examples/ci` holds pipelines).
func exampleNames() throws -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let examples = root.appendingPathComponent("examples")
    return try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted().filter { name in
        let files = (try? FileManager.default.contentsOfDirectory(atPath: examples.appendingPathComponent(name).path)) ?? []
        return files.contains { $0.hasSuffix(".yaml") }
    }
}

/// A fresh temporary folder holding one `bank.yaml` with the given text.
func folderWithManifest(_ text: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("provision-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try text.write(to: folder.appendingPathComponent("bank.yaml"), atomically: true, encoding: .utf8)
    return folder
}

/// A manifest of one Finan One provider on the embedded sandbox: the sandbox's master and these bank accounts
/// (entry name, account name), in order; `tail` is appended as written (e.g. a `moved:` section).
func sandboxFinanManifest(_ accounts: [(name: String, accountName: String)], tail: String = "") -> String {
    """
    version: 1
    providers:
      finan:
        type: finan-one
        endpoint: sandbox
        client_id: sandbox-client-id
        secret_key: sandbox-secret-key
    finan:
      master_accounts:
        main: { account_number: "0933450210" }
      bank_accounts:

    """ + accounts.map { "    \($0.name): { master: main, account_name: \($0.accountName) }\n" }.joined() + tail
}

import Foundation

/// A program the end-to-end tests run beside `provision` (Python, actionlint, chromedriver), found once.
///
/// Python is `PROVISION_PYTHON` when set (`.ci/run` points it at a virtual environment), else `python3` on PATH.
struct HelperTool: Sendable {
    struct Result: Sendable {
        var status: Int32
        var output: String
        var errors: String
    }

    let path: String

    static let python: HelperTool? = {
        if let chosen = ProcessInfo.processInfo.environment["PROVISION_PYTHON"], !chosen.isEmpty { return onPath(chosen) }
        return onPath("python3")
    }()

    /// The repository's root folder.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `name` as an absolute path if it is one, else the first executable of that name on PATH; also looks beside Python.
    static func onPath(_ name: String) -> HelperTool? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? HelperTool(path: name) : nil }
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        return folders.lazy.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }.map(HelperTool.init(path:))
    }

    /// Whether Python imports every module in `modules`.
    static func pythonHas(_ modules: [String]) -> Bool {
        guard let python else { return false }
        return (try? python.run(["-c", "import " + modules.joined(separator: ", ")]).status) == 0
    }

    /// Runs the tool to its end with no standard input, reading both outputs; in `directory` when given.
    func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let (outData, errData) = drainToEnd(output: output, errors: errors)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self), errors: String(decoding: errData, as: UTF8.self))
    }
}

/// Reads both pipes to their ends, stderr on a thread of its own, so a full pipe cannot stall the child while the
/// other is read.
func drainToEnd(output: Pipe, errors: Pipe) -> (output: Data, errors: Data) {
    let done = NSCondition()
    nonisolated(unsafe) var errData = Data(), finished = false
    Thread.detachNewThread {
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        done.lock()
        errData = data
        finished = true
        done.signal()
        done.unlock()
    }
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    done.lock()
    while !finished { done.wait() }
    done.unlock()
    return (outData, errData)
}

import Foundation
import Testing

/// Every command of the examples' READMEs (their ```sh blocks) runs as written, in order, with the built binary for
/// `swift run provision`, against the embedded sandbox, in a copy of the example laid out as in the repository
/// (`examples/NAME/`), and exits as its comment says (`exit 3`, `exit code 3`), else 0.
///
/// Only two things differ from a reader's run: the README's port 8080 becomes a free port, so runs in parallel do not
/// collide, and the few commands in `skipped` do not run, each for the reason given there.
@Suite struct ExampleReadmeTests {
    /// One command line of a README.
    struct Command: Sendable {
        var line: Int
        var text: String
        var expected: Int32
        var background: Bool { text.hasSuffix("&") }
        /// `kill %1; wait` stops a background server: its status is the server's signal, not a result.
        var checked: Bool { !background && !text.hasPrefix("kill ") && !text.hasPrefix("wait") }
    }

    /// Commands that cannot run in a test: (example, a part of the command, why).
    static let skipped: [(example: String, command: String, reason: String)] = [
        ("environments", "plan --env production", "it plans against Finan One itself (https://api.finan.one/open) with real credentials"),
        ("sepay-bank-link", "--wait 5m", "it waits for a person to link the account on the hosted page (BrowserEndToEndTests does that in Chromium)"),
        ("vietinbank-onboarding", "--wait 5m", "it waits for a person to approve the consent in a browser"),
    ]

    /// Variables a command needs that its README does not set: (example, a part of the command, variables). None: a
    /// gate is confirmed without the bank's credentials.
    static let variables: [(example: String, command: String, values: [String: String])] = []

    /// The commands of the ```sh blocks of `markdown`, each with the exit code its comment (or the comment lines
    /// right after it) names.
    static func commands(in markdown: String) -> [Command] {
        var commands: [Command] = []
        var inBlock = false
        for (index, raw) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                inBlock = !inBlock && (line == "```sh" || line == "```bash")
                continue
            }
            guard inBlock, !line.isEmpty else { continue }
            let (command, comment) = split(line)
            if command.isEmpty {
                if let code = exitCode(in: comment), let last = commands.indices.last { commands[last].expected = code }
                continue
            }
            commands.append(Command(line: index + 1, text: command, expected: exitCode(in: comment) ?? 0))
        }
        return commands
    }

    /// The command and its trailing comment: the first ` #` outside quotes.
    static func split(_ line: String) -> (command: String, comment: String) {
        var single = false, double = false, previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if character == "'" && !double { single.toggle() }
            if character == "\"" && !single { double.toggle() }
            if character == "#", previous == " ", !single, !double {
                return (line[..<index].trimmingCharacters(in: .whitespaces), String(line[index...]))
            }
            previous = character
        }
        return (line, "")
    }

    static func exitCode(in comment: String) -> Int32? {
        comment.firstMatch(of: /exit (?:code )?(\d+)/).flatMap { Int32($0.1) }
    }

    @Test func commandsAndTheirExitCodesAreReadFromTheBlocks() {
        let markdown = """
            ```sh
            swift run provision apply --auto-approve x   # creates it; exit 3: a step waits
            swift run provision plan x
            #   exit code 2: changes
            curl -d '{"a":"# not a comment"}' $S # posts
            kill %1; wait
            ```
            ```console
            $ not a command
            ```
            """
        let commands = Self.commands(in: markdown)
        #expect(commands.map(\.text) == [
            "swift run provision apply --auto-approve x", "swift run provision plan x", "curl -d '{\"a\":\"# not a comment\"}' $S", "kill %1; wait",
        ])
        #expect(commands.map(\.expected) == [3, 2, 0, 0])
        #expect(commands.map(\.checked) == [true, true, true, false])
    }

    static let examples: [String] = ((try? exampleNames()) ?? []).filter { name in
        let readme = HelperTool.repository.appendingPathComponent("examples/\(name)/README.md")
        return ((try? String(contentsOf: readme, encoding: .utf8)) ?? "").contains("```sh")
    }

    @Test(arguments: examples)
    func everyCommandOfTheReadmeRunsAsWritten(example: String) throws {
        let readme = try String(contentsOf: HelperTool.repository.appendingPathComponent("examples/\(example)/README.md"), encoding: .utf8)
        let commands = Self.commands(in: readme.replacingOccurrences(of: "8080", with: "\(try Self.freePort())"))
        #expect(commands.contains { $0.text.hasPrefix("swift run provision") })
        let root = try Self.repositoryLayout(with: example)
        defer { try? FileManager.default.removeItem(at: root) }
        let script = root.appendingPathComponent("readme.sh")
        try Self.script(for: commands, example: example, in: root).write(to: script, atomically: true, encoding: .utf8)

        let environment = [
            "PATH": root.appendingPathComponent("bin").path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "HOME": root.path, "LANG": "C.UTF-8", "PROVISION_BINARY": try ProvisionBinary().url.path,
        ].map { "\($0.key)=\($0.value)" }
        let result = try #require(HelperTool.onPath("env")).run(["-i"] + environment + ["timeout", "-k", "5", "600", "bash", script.path])
        #expect(result.status == 0, "examples/\(example)/README.md:\n\(result.output)\n\(result.errors)")
    }

    /// The bash script that runs `commands` from the repository's root, checking each one's exit code.
    static func script(for commands: [Command], example: String, in root: URL) -> String {
        var lines = ["trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT", "cd \(quoted(root.path))"]
        for command in commands {
            let place = "examples/\(example)/README.md:\(command.line)"
            if let skip = skipped.first(where: { $0.example == example && command.text.contains($0.command) }) {
                lines.append("echo \(quoted("skipped \(place) (\(skip.reason)): \(command.text)"))")
                continue
            }
            let prefix = variables.first { $0.example == example && command.text.contains($0.command) }
                .map { $0.values.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted($0.value)) " }.joined() } ?? ""
            lines.append("echo \(quoted("+ \(place): \(command.text)"))")
            lines.append(prefix + command.text)
            if command.checked {
                lines.append("status=$?; [ $status -eq \(command.expected) ] || { echo \(quoted("\(place) exited")) \"$status\" \(quoted("instead of \(command.expected): \(command.text)")) >&2; exit 1; }")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A temporary folder laid out as the repository for `example`: `examples/NAME/` holding a copy of it, and `bin/swift`,
    /// which runs `swift run provision ARGS` as the built binary (replacing itself, so `kill %1` stops the server).
    static func repositoryLayout(with example: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("provision-readme-\(UUID().uuidString)")
        let examples = root.appendingPathComponent("examples"), bin = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: examples, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: try copyOfExample(example), to: examples.appendingPathComponent(example))
        let swift = bin.appendingPathComponent("swift")
        try """
            #!/bin/sh
            if [ "$1" = run ] && [ "$2" = provision ]; then shift 2; exec "$PROVISION_BINARY" "$@"; fi
            echo "this test runs only 'swift run provision', not: swift $*" >&2
            exit 127

            """.write(to: swift, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swift.path)
        return root
    }

    /// A port no one listens on now: bound to 0, read back, released.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        try #require(bound, "no free port: \(String(cString: strerror(errno)))")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

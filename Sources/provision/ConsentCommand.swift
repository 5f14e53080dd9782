import ArgumentParser
import Foundation
import PlanModel
import Reconciler

struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Finish a person's browser step (an OAuth consent) from the URL the browser was redirected to.",
        discussion: "For a callback that apply cannot listen on: give the URL with --redirect-url, paste it when asked, or pipe it on standard input. The state of the authorization apply started is checked, then the code is exchanged.")

    @Argument(help: "The step's address, INSTANCE.KIND.NAME.")
    var address: String

    @Option(name: .customLong("redirect-url"), help: "The URL the browser was redirected to (default: read from standard input).")
    var redirectURL: String?

    @OptionGroup var options: ManifestOptions

    @OptionGroup var lock: LockOptions

    @OptionGroup var display: OutputOptions

    func run() async throws {
        try await Terminal.run(display, invocation: options.invocation) {
            let redirect = try redirectURL ?? Self.readRedirect()
            let request = ConsentRequest(address: address, redirect: redirect, lock: lock.policy)
            _ = try await ConsentOperation(request).run(in: Workspace.open(options))
            Terminal.out("Recorded: \(address) is done.")
        }
    }

    /// The redirect URL from standard input, asked for when a person is at the terminal.
    static func readRedirect() throws -> String {
        if isatty(STDIN_FILENO) != 0 {
            FileHandle.standardError.write(Data("Paste the URL the browser was redirected to (after the bank's consent page), then press Enter: ".utf8))
        }
        guard let line = readLine()?.trimmingCharacters(in: .whitespaces), !line.isEmpty else {
            throw ValidationError("Give the URL you were redirected to with --redirect-url URL, or on standard input.")
        }
        return line
    }
}

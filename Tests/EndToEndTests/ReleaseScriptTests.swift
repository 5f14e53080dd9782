import Foundation
import Testing

/// The release script and the install page, without the 20-minute build: the script is valid bash, links the Swift
/// standard library in, strips, checks ldd and a start without Swift, writes the archive and its checksum under the
/// names docs/install.md uses.
struct ReleaseScriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theScriptBuildsAStaticStrippedCheckedArchive() throws {
        let script = try String(contentsOf: Self.root.appendingPathComponent("scripts/release"), encoding: .utf8)
        for needed in [
            "swift build -c release --product provision --static-swift-stdlib", "strip \"$stage/provision\"", "grep -q 'libswift'",
            "env -i PATH=/usr/bin:/bin", "tar -C \"$stage\" -czf \"dist/$name.tar.gz\"", "sha256sum \"$name.tar.gz\" > \"$name.tar.gz.sha256\"",
            "name=\"provision-$version-linux-$arch\"", "set -euo pipefail",
        ] {
            #expect(script.contains(needed), "scripts/release lacks: \(needed)")
        }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/bash")
        check.arguments = ["-n", Self.root.appendingPathComponent("scripts/release").path]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "scripts/release is not valid bash")
        let mode = try FileManager.default.attributesOfItem(atPath: Self.root.appendingPathComponent("scripts/release").path)[.posixPermissions] as? Int
        #expect((mode ?? 0) & 0o111 != 0, "scripts/release is executable")
    }

    @Test func theInstallPageVerifiesTheChecksumOfTheArchiveTheScriptNames() throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/install.md"), encoding: .utf8)
        let version = try #require(try String(contentsOf: Self.root.appendingPathComponent("Sources/provision/Provision.swift"), encoding: .utf8)
            .firstMatch(of: /version: "([^"]+)"/)?.1)
        #expect(page.contains("sha256sum -c provision-\(version)-linux-x86_64.tar.gz.sha256"), "docs/install.md checks the current version's archive")
        #expect(page.contains("scripts/release"))
    }
}

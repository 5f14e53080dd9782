import Foundation
import Testing

struct SandboxCommandTests {
    @Test(arguments: ["99999", "-1"])
    func aPortOutsideTheRangeIsRefusedBeforeListening(_ port: String) throws {
        let folder = FileManager.default.temporaryDirectory
        let result = try ProvisionBinary().run(["sandbox", "serve", "--port=\(port)"], in: folder)
        #expect(result.status != 0)
        #expect(result.errors.contains("--port must be from 0 to 65535"), "\(result.errors)")
    }
}

struct HelpAndVersionTests {
    @Test func versionIsPrintedAndDurationDefaultsReadAsDurations() throws {
        let binary = try ProvisionBinary()
        let version = try binary.run(["--version"], in: FileManager.default.temporaryDirectory)
        #expect(version.status == 0)
        #expect(version.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0.5.0")
        let help = try binary.run(["apply", "--help"], in: FileManager.default.temporaryDirectory)
        #expect(help.output.contains("(default: 0s)"), "\(help.output)")
        #expect(!help.output.contains("DurationArgument"))
    }
}

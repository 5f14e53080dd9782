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

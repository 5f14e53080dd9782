import Foundation
import PlanModel
import Sandbox

/// The embedded simulators for a run whose manifest says `endpoint: sandbox`: started before, stopped after.
/// `PROVISION_SANDBOX_FAULTS` injects faults into them, as `sandbox serve --faults` does.
enum SandboxSession {
    /// Runs `body` with the sandbox's base URL (`http://127.0.0.1:PORT`), or nil when no provider uses it;
    /// the sandbox is stopped whatever happens.
    static func with<T>(for manifest: Manifest, dataDirectory: URL, _ body: (String?) async throws -> T) async throws -> T {
        guard manifest.providers.contains(where: { $0.endpoint == .sandbox }) else { return try await body(nil) }
        let faults = try ProcessInfo.processInfo.environment["PROVISION_SANDBOX_FAULTS"].map { try SandboxFaults(spec: $0) }
        let sandbox = try await SandboxServer.start(SandboxConfiguration(dataDirectory: dataDirectory.path, faults: faults))
        do {
            let result = try await body("http://127.0.0.1:\(sandbox.port)")
            await sandbox.stop()
            return result
        } catch {
            await sandbox.stop()
            throw error
        }
    }
}

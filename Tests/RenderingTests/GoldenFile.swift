import Foundation
import Testing

/// A rendering compared with its file under `Golden/`; `PROVISION_RECORD_GOLDEN=1` writes the file instead.
enum GoldenFile {
    static func check(_ rendered: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["PROVISION_RECORD_GOLDEN"] == "1" {
            try rendered.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(
            rendered == (try String(contentsOf: golden, encoding: .utf8)), "re-record with PROVISION_RECORD_GOLDEN=1 if the change is meant",
            sourceLocation: sourceLocation)
    }
}

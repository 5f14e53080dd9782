import Foundation
import Reconciler

extension CheckRenderer {
    /// The check's JSON form, for CI (documented in docs/output.md); keys sorted.
    public static func json(_ result: CheckResult) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(CheckDocument(result))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The JSON document of a check. `format_version` changes only when a field's meaning changes.
struct CheckDocument: Encodable {
    struct Line: Encodable {
        var provider: String
        var check: String
        var status: String
        var detail: String
        var fix: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(provider, forKey: .provider)
            try container.encode(check, forKey: .check)
            try container.encode(status, forKey: .status)
            try container.encode(detail, forKey: .detail)
            try container.encode(fix, forKey: .fix)
        }

        enum CodingKeys: String, CodingKey { case provider, check, status, detail, fix }
    }

    var formatVersion = "1.0"
    var exitCode: Int32
    var summary: [String: Int]
    var checks: [Line]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case exitCode = "exit_code"
        case summary, checks
    }

    init(_ result: CheckResult) {
        exitCode = result.exitCode
        summary = Dictionary(uniqueKeysWithValues: CheckStatus.allCases.map { ($0.rawValue, result.count($0)) })
        checks = result.lines.map {
            Line(provider: $0.provider, check: $0.finding.subject, status: $0.finding.status.rawValue, detail: $0.finding.detail, fix: $0.finding.fix)
        }
    }
}

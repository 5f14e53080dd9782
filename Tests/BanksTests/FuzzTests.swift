@testable import Banks
import Foundation
import PlanModel
import Reconciler
import Testing
import TestSupport
import ManifestLanguage

/// Generated hostile inputs through manifest loading and through every bank's answer decoding: nothing may
/// crash or hang; each input is either read or refused with an error value.
@Suite(.timeLimit(.minutes(5)))
struct FuzzTests {
    typealias Generator = SplitMix64

    static let fragments = [
        "\n", ": ", "- ", "{", "}", "[", "]", "&a ", "*a", "!!binary ", "\"", "'", "#", "${env:X}", "${file:/etc/passwd}",
        "\t", "\u{0}", "\u{1b}[2J", "é", "9999999999999999999999", "-1", "null", "~", "<<: *a", "? ", "|\n", ">\n", ",", "%YAML 1.2\n---\n",
    ]

    /// A mutation of `text`: a few fragments inserted, bytes dropped or the text cut short.
    static func mutate(_ text: String, _ random: inout Generator) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let at = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: scalars.insert(contentsOf: fragments.randomElement(using: &random)!.unicodeScalars, at: at)
            case 1: if !scalars.isEmpty { scalars.remove(at: at) }
            case 2: scalars = Array(scalars.prefix(at))
            default: if !scalars.isEmpty { scalars[at] = Unicode.Scalar(UInt8.random(in: 0x20...0x7e, using: &random)) }
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    static func examples() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("examples")
        var texts: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let example = folder.appendingPathComponent(name)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: example.path)) ?? [] where file.hasSuffix(".yaml") {
                texts.append(try String(contentsOf: example.appendingPathComponent(file), encoding: .utf8))
            }
        }
        return texts
    }

    /// Long loops yield now and then, so tests that run beside them (and sign requests against a clock) are not starved.
    @Test func thirtyThousandMutatedManifestsAreReadOrRefusedNeverCrash() async throws {
        let seeds = try Self.examples()
        var random = Generator(seed: 2026)
        let parser = ManifestParser(catalog: BankRegistry.all.catalog, environment: [:])
        var refused = 0
        for index in 0..<30_000 {
            if index % 200 == 0 { await Task.yield() }
            let text = Self.mutate(seeds.randomElement(using: &random)!, &random)
            do {
                _ = try parser.parse([ManifestSource(path: "fuzz.yaml", text: text)])
            } catch {
                refused += 1
                #expect(!error.problems.isEmpty)
            }
        }
        #expect(refused > 10_000, "the mutations are hostile enough to be refused most of the time")
    }

    static let answers = [
        #"{"code":102000,"request_id":"r","data":[{"account_id":"a","account_number":"1","account_name":"X"}],"meta":{"current_page":1,"page_count":1,"total":1}}"#,
        #"{"message":{"content":"c","error":"e"},"code":104000,"request_id":"r"}"#,
        #"{"data":[{"xid":"x","full_name":"F","status":"Active","configuration":{"payment_code":1,"transaction_amount":"Unlimited"}}],"meta":{"has_more":false,"total":1,"page_count":1,"current_page":1}}"#,
        #"{"data":{"webhook_url":"https://h","secret_key":"***1234","active":1,"allow_events":["*"]}}"#,
        #"{"code":400,"message":"bad","errors":{"full_name":["required"]}}"#,
        #"{"httpCode":"401","httpMessage":"Unauthorized","moreInformation":"Invalid client id or secret"}"#,
        #"{"requestId":"r","status":{"code":"1","message":"ok"},"signature":"c2ln"}"#,
    ]

    @Test func seventyThousandMutatedAnswersDecodeOrFailAsValues() async {
        var random = Generator(seed: 7)
        let readers: [any ErrorReader] = [FinanErrorReader(), SePayErrorReader(), VietinBankErrorReader(successCode: "1")]
        var decoded = 0
        for index in 0..<70_000 {
            if index % 500 == 0 { await Task.yield() }
            let body = Array(Self.mutate(Self.answers.randomElement(using: &random)!, &random).utf8)
            let reply = HTTPReply(status: [200, 201, 400, 401, 404, 429, 500].randomElement(using: &random)!, body: body)
            for reader in readers { _ = reader.fault(in: reply) }
            let data = Data(body)
            if (try? JSONDecoder().decode(FinanEnvelope<FinanList<FinanAccount>>.self, from: data)) != nil { decoded += 1 }
            _ = try? JSONDecoder().decode(SePayList<SePayCompany>.self, from: data)
            _ = try? JSONDecoder().decode(SePayDetail<SePayWebhook>.self, from: data)
            _ = try? JSONDecoder().decode(SePayError.self, from: data).text
        }
        #expect(decoded > 0, "some mutations still decode, so decoding itself was exercised")
    }
}

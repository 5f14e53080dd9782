import Testing
import TestSupport
@testable import PlanModel

/// The byte-wise path of `Resource.normalise` for ASCII text must give what the Unicode path gives.
@Suite struct NormaliseTests {
    static func unicodePath(_ text: String) -> String {
        text.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test(arguments: ["", " ", "ops", "  Ops   account\t1 ", "a\r\nb", "x\u{0B}y\u{0C}z", "a\u{1C}b", "mixed Case_09-~", "\u{7F}q"])
    func asciiTextNormalisesAsUnicodeTextDoes(_ text: String) {
        #expect(Resource.asciiNormalised(text) == Self.unicodePath(text))
    }

    @Test func generatedAsciiTextNormalisesAsUnicodeTextDoes() {
        var generator = SplitMix64(seed: 0xA5C11)
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...12, using: &generator)).map { _ in UInt8.random(in: 0...0x7F, using: &generator) }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Resource.asciiNormalised(text) == Self.unicodePath(text), "\(text.debugDescription)")
        }
    }

    @Test func otherTextTakesTheUnicodePath() {
        #expect(Resource.asciiNormalised("công ty") == nil)
        #expect(Resource.normalise("  công\u{00A0}ty ") == "CÔNG TY")
    }
}

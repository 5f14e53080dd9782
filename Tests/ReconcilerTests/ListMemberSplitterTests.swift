import Foundation
import Testing
@testable import Reconciler

/// A long list is decoded a part at a time to exactly what one pass gives; any answer that is not plainly an object
/// holding the list is left to one pass.
struct ListMemberSplitterTests {
    struct Item: Codable, Equatable {
        var id: String
        var name: String?
        var tags: [String]?
        var extra: [String: Int]?
    }

    struct Envelope: Decodable, Equatable {
        var code: Int?
        var note: String?
        var data: [Item]?
    }

    /// Names that hold what a structure reader could trip on: quotes, backslashes, brackets, braces, commas, colons.
    static let awkward = [#"plain"#, #"a \"quoted\" one"#, #"back\\slash\\"#, #"[not, an] {array}: \\\""#, #"é ü 中文 \u00e9"#, ""]

    static func answer(items count: Int, spaced: Bool = false) -> String {
        let gap = spaced ? "\n  " : ""
        let items = (0..<count).map { index in
            let name = awkward[index % awkward.count]
            let extra = index % 7 == 0 ? #", "extra": {"a": 1, "b": 2}"# : ""
            return #"{"id": "i\#(index)", "name": "\#(name)", "tags": ["x]", "{y", "\\"]\#(extra)}"#
        }
        return #"{"code": 102000, "note": "before [data]", "data": [\#(gap)\#(items.joined(separator: ",\(gap)"))\#(gap)], "after": {"x": [1, 2]}}"#
    }

    static func parts(_ text: String) -> (Envelope, [Item])? {
        BankAPI.decodedInParts(Array(text.utf8), Envelope.self, member: "data", of: Item.self, minimumBytes: 0)
    }

    @Test(arguments: [0, 1, 999, 1_000, 1_001, 2_500])
    func aListDecodedInPartsIsWhatOnePassGives(count: Int) throws {
        for spaced in [false, true] {
            let text = Self.answer(items: count, spaced: spaced)
            let whole = try JSONDecoder().decode(Envelope.self, from: Data(text.utf8))
            guard let (envelope, items) = Self.parts(text) else {
                Issue.record("\(count) items, spaced: \(spaced): not decoded in parts")
                continue
            }
            #expect(items == whole.data, "\(count) items, spaced: \(spaced)")
            #expect(envelope.code == 102000 && envelope.note == "before [data]" && envelope.data == nil, "the rest decoded with null in the list's place")
        }
    }

    @Test func theRestIsTheAnswerWithNullForTheList() throws {
        let text = #" { "a" : "[" , "data" : [ 1 , "x" , {"b":[]} ] , "c":null } "#
        let split = try #require(Array(text.utf8).withUnsafeBytes { ListMemberSplitter.split($0, member: "data") })
        #expect(String(decoding: split.rest, as: UTF8.self) == #" { "a" : "[" , "data" : null , "c":null } "#)
        let items = split.items.map { String(decoding: Array(text.utf8)[$0], as: UTF8.self) }
        #expect(items == ["1", #""x""#, #"{"b":[]}"#])
    }

    @Test(arguments: [
        #"{"data": [1], "data": [2]}"#,  // written twice: one pass keeps one, which is not ours to guess
        #"{"d\u0061ta": [1]}"#,  // a key with an escape
        #"{"data": [1]} trailing"#,  // text after the object
        #"[{"data": [1]}]"#,  // not an object
        #"{"data": {"a": 1}}"#,  // not an array
        #"{"data": null}"#,
        #"{"other": [1]}"#,  // no such member
        #"{"outer": {"data": [1]}}"#,  // not at the top level
        #"{"data": [1 2]}"#,  // items without a comma
        #"{"a": 1 "data": [1]}"#,  // members without a comma
        #"{"data": [1,]}"#,  // an empty item
        #"{"data": ["open]}"#,  // a string never closed
        #"{"data": [{"a": 1]}"#,  // brackets that never close the list
        #"{"data": [1]"#,  // an object never closed
        "",
    ])
    func anAnswerThatIsNotPlainlyAnObjectHoldingTheListIsNotSplit(text: String) {
        let split = Array(text.utf8).withUnsafeBytes { ListMemberSplitter.split($0, member: "data") }
        #expect(split == nil, "\(text)")
    }

    @Test func anItemThatDoesNotDecodeLeavesTheAnswerToOnePass() {
        var text = Self.answer(items: 1_500)
        text = text.replacingOccurrences(of: #"{"id": "i1200","#, with: #"{"id": 1200,"#)
        let decoded = Self.parts(text) != nil
        #expect(!decoded)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Envelope.self, from: Data(text.utf8)) }
    }

    @Test func aShortAnswerIsDecodedWhole() {
        let text = Self.answer(items: 3)
        #expect(BankAPI.decodedInParts(Array(text.utf8), Envelope.self, member: "data", of: Item.self) == nil)
    }
}

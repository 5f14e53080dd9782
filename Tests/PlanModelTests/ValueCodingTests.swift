import Foundation
import Testing
import PlanModel

/// Values read back from JSON (state, saved plans) keep their kind whatever order the decoder tries kinds in.
@Suite struct ValueCodingTests {
    @Test func everyKindDecodesAsItself() throws {
        let json = #"{"text":"true","number_text":"12","flag":true,"number":12,"list":["a",1,false],"object":{"k":"v","n":0},"empty":""}"#
        let decoded = try JSONDecoder().decode([String: Value].self, from: Data(json.utf8))
        #expect(decoded == [
            "text": .string("true"), "number_text": .string("12"), "flag": .boolean(true), "number": .integer(12),
            "list": .list([.string("a"), .integer(1), .boolean(false)]), "object": .object(["k": .string("v"), "n": .integer(0)]),
            "empty": .string(""),
        ])
    }

    @Test func encodingThenDecodingGivesTheValueBack() throws {
        let values: [String: Value] = ["a": .string("x"), "b": .integer(-3), "c": .boolean(false), "d": .list([.object(["e": .string("1")])])]
        #expect(try JSONDecoder().decode([String: Value].self, from: JSONEncoder().encode(values)) == values)
    }
}

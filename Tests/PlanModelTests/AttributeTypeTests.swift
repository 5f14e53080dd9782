import Testing
@testable import PlanModel

/// `AttributeType` equality, compared case by case, holds exactly when two types describe themselves alike, and equal
/// types hash alike.
@Suite struct AttributeTypeTests {
    static let field = AttributeSchema("name", .string, .required, summary: "a name")
    static let other = AttributeSchema("code", .integer, .optional, summary: "a code")
    static let types: [AttributeType] = [
        .string, .integer, .boolean, .url, .endpoint,
        .reference(kind: "master_accounts"), .reference(kind: "webhooks"),
        .enumeration(["a", "b"]), .enumeration(["a"]), .enumeration(["a", "b"]),
        .integerOrKeyword(["Unlimited"]), .integerOrKeyword(["a", "b"]),
        .list(of: .string), .list(of: .integer), .list(of: .list(of: .string)), .list(of: .string),
        .object([field]), .object([field, other]), .object([other]), .object([field]),
    ]

    @Test func equalExactlyWhenTheDescriptionsAre() {
        for left in Self.types {
            for right in Self.types {
                #expect((left == right) == (left.description == right.description), "\(left) and \(right)")
                if left == right { #expect(left.hashValue == right.hashValue) }
            }
        }
    }
}

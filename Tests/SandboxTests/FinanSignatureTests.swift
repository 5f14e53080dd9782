import Foundation
import Testing

@testable import Sandbox

/// The test vectors of `providers/finan-one.md`, as exact input strings and hashes.
enum FinanVectors {
    static let accepted: [(input: String, hash: String)] = [
        ("mySecretKey_GET_/api/v1/payments__1699999999",
         "73c2f95458328a80e1aa7d4f7446d4a7cb7e541e543ac66797a79964f04e31bd"),
        (#"mySecretKey_POST_/api/v1/payments_{"amount":6000000,"payment_method":"bank_transfer"}_1699999999"#,
         "5cdb7759beeb3276b62b7eb12368b7e7e0cf20d55ef215ab0fce73298dac5f14"),
        (#"s3r3c_k3y_POST_/api/v1/transfer/verify-otp_{"id":"7fc5e181-aae3-4021-8ce0-6a53aa71990d","pass_code":"1828288371923881984"}_1724986946"#,
         "10366e5abe3a5ce0a012745a3549128e7a7fb76cc36c15def43c9073715a9466"),
        ("mySecretKey_GET_/api/v1/master-bank-accounts?id=3c919ce1-b310-47ae-9727-f9323ac4fba7&account_number=0933450210__1699999999",
         "1f1a23d480c4577563f77d32fe9345ddd3c87a96d318171ec2c8a44ed05feae6"),
        (#"test_secret_123_POST_/api/v1/bank-accounts_{"master_account_id":"3c919ce1-b310-47ae-9727-f9323ac4fba7","account_name":"KE TOAN"}_1700000000"#,
         "74adbe500dd1991a726660e8306eefacf6bc44ba27032ee1af2cee0e6e2011d7"),
        ("mySecretKey_GET_/api/v1/bank-accounts__1699999999",
         "d89587206ba36aef7a21d929ae7a2d1ca84d166ec7c69b289c0eb3285f221a8a"),
    ]

    static let prettyBody = "{\n  \"amount\": 6000000,\n  \"payment_method\": \"bank_transfer\"\n}"
    static let prettyHash = "0a02473a0452f5c7cbb6e51fc280c477046470ede39fb48b7cde42c6ab192374"
    static let compactPaymentHash = "5cdb7759beeb3276b62b7eb12368b7e7e0cf20d55ef215ab0fce73298dac5f14"
    static let rawUTF8Body = #"{"description":"thanh toán đơn hàng","amount":1000}"#
    static let rawUTF8Hash = "23261e09703133dbfc3adc4411a5de0d21303cdbe3cf1ed6653c152ce5e242f4"
    static let escapedBody = #"{"description":"thanh to\u00e1n \u0111\u01a1n h\u00e0ng","amount":1000}"#
    static let escapedHash = "908656bb0818ce9e18e7db483d683456d85a59fe901040b2ac8e79d791c1dd7f"
}

@Suite("Finan signature")
struct FinanSignatureTests {
    @Test("the test signer reproduces the six reference vectors", arguments: 0..<6)
    func testSignerVectors(index: Int) {
        let vector = FinanVectors.accepted[index]
        #expect(TestSigner.sha256Hex(vector.input) == vector.hash)
    }

    @Test("the test signer reproduces the negative vectors: pretty-printed and escaped bodies hash differently")
    func testSignerNegativeVectors() {
        let pretty = TestSigner.signature(
            secret: "mySecretKey", method: "POST", path: "/api/v1/payments", payload: FinanVectors.prettyBody, timestamp: "1699999999")
        #expect(pretty == FinanVectors.prettyHash)
        #expect(pretty != FinanVectors.compactPaymentHash)
        let raw = TestSigner.signature(
            secret: "mySecretKey", method: "POST", path: "/api/v1/payouts", payload: FinanVectors.rawUTF8Body, timestamp: "1699999999")
        #expect(raw == FinanVectors.rawUTF8Hash)
        let escaped = TestSigner.signature(
            secret: "mySecretKey", method: "POST", path: "/api/v1/payouts", payload: FinanVectors.escapedBody, timestamp: "1699999999")
        #expect(escaped == FinanVectors.escapedHash)
    }

    @Test("the simulator's hash agrees with the reference vectors")
    func simulatorVectors() {
        #expect(FinanSignature.expected(
            secret: "mySecretKey", method: "GET", path: "/api/v1/payments", payload: [], timestamp: "1699999999")
            == FinanVectors.accepted[0].hash)
        #expect(FinanSignature.expected(
            secret: "mySecretKey", method: "GET",
            path: "/api/v1/master-bank-accounts?id=3c919ce1-b310-47ae-9727-f9323ac4fba7&account_number=0933450210",
            payload: [], timestamp: "1699999999")
            == FinanVectors.accepted[3].hash)
        #expect(FinanSignature.expected(
            secret: "test_secret_123", method: "POST", path: "/api/v1/bank-accounts",
            payload: Array(#"{"master_account_id":"3c919ce1-b310-47ae-9727-f9323ac4fba7","account_name":"KE TOAN"}"#.utf8),
            timestamp: "1700000000")
            == FinanVectors.accepted[4].hash)
        #expect(FinanSignature.expected(
            secret: "mySecretKey", method: "POST", path: "/api/v1/payouts", payload: Array(FinanVectors.rawUTF8Body.utf8),
            timestamp: "1699999999")
            == FinanVectors.rawUTF8Hash)
    }

    @Test("compacting the pretty-printed body yields the bytes of vector 2")
    func compactPrettyBody() {
        let compacted = FinanSignature.compact(Array(FinanVectors.prettyBody.utf8))
        #expect(String(decoding: compacted, as: UTF8.self) == #"{"amount":6000000,"payment_method":"bank_transfer"}"#)
        #expect(FinanSignature.expected(
            secret: "mySecretKey", method: "POST", path: "/api/v1/payments", payload: compacted, timestamp: "1699999999")
            == FinanVectors.compactPaymentHash)
    }

    @Test("compaction keeps string contents, escapes, key order and non-ASCII bytes untouched")
    func compactKeepsStrings() {
        let input = "{ \"z\" : \"a  b\\\" } \\\\\" ,\n\t\"a\" :\r\n [ 1 , \"thanh to\\u00e1n  đơn\" , { } ] }"
        let expected = "{\"z\":\"a  b\\\" } \\\\\",\"a\":[1,\"thanh to\\u00e1n  đơn\",{}]}"
        #expect(String(decoding: FinanSignature.compact(Array(input.utf8)), as: UTF8.self) == expected)
    }

    @Test("an already compact body is unchanged")
    func compactIsIdentityOnCompact() {
        for body in [FinanVectors.rawUTF8Body, FinanVectors.escapedBody, #"{"k":"\"\\"}"#] {
            #expect(FinanSignature.compact(Array(body.utf8)) == Array(body.utf8))
        }
    }
}

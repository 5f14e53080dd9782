@testable import Banks
import PlanModel
import Foundation
import Reconciler
import Testing

struct FinanOneSignerTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let secret, method, path, payload, timestamp, expected: String
        var testDescription: String { "\(method) \(path)" }
    }

    /// The six vectors of the provider reference, split into the signature's fields.
    static let vectors = [
        Vector(secret: "mySecretKey", method: "GET", path: "/api/v1/payments", payload: "", timestamp: "1699999999",
               expected: "73c2f95458328a80e1aa7d4f7446d4a7cb7e541e543ac66797a79964f04e31bd"),
        Vector(secret: "mySecretKey", method: "POST", path: "/api/v1/payments", payload: #"{"amount":6000000,"payment_method":"bank_transfer"}"#, timestamp: "1699999999",
               expected: "5cdb7759beeb3276b62b7eb12368b7e7e0cf20d55ef215ab0fce73298dac5f14"),
        Vector(secret: "s3r3c_k3y", method: "POST", path: "/api/v1/transfer/verify-otp", payload: #"{"id":"7fc5e181-aae3-4021-8ce0-6a53aa71990d","pass_code":"1828288371923881984"}"#, timestamp: "1724986946",
               expected: "10366e5abe3a5ce0a012745a3549128e7a7fb76cc36c15def43c9073715a9466"),
        Vector(secret: "mySecretKey", method: "GET", path: "/api/v1/master-bank-accounts?id=3c919ce1-b310-47ae-9727-f9323ac4fba7&account_number=0933450210", payload: "", timestamp: "1699999999",
               expected: "1f1a23d480c4577563f77d32fe9345ddd3c87a96d318171ec2c8a44ed05feae6"),
        Vector(secret: "test_secret_123", method: "POST", path: "/api/v1/bank-accounts", payload: #"{"master_account_id":"3c919ce1-b310-47ae-9727-f9323ac4fba7","account_name":"KE TOAN"}"#, timestamp: "1700000000",
               expected: "74adbe500dd1991a726660e8306eefacf6bc44ba27032ee1af2cee0e6e2011d7"),
        Vector(secret: "mySecretKey", method: "GET", path: "/api/v1/bank-accounts", payload: "", timestamp: "1699999999",
               expected: "d89587206ba36aef7a21d929ae7a2d1ca84d166ec7c69b289c0eb3285f221a8a"),
    ]

    @Test(arguments: vectors)
    func referenceVector(_ vector: Vector) {
        let signature = FinanOneSigner.signature(
            secret: vector.secret, method: vector.method, path: vector.path, payload: Array(vector.payload.utf8), timestamp: vector.timestamp)
        #expect(signature == vector.expected)
    }

    @Test func prettyPrintedBodyDoesNotMatchCompactOne() {
        let pretty = "{\n  \"amount\": 6000000,\n  \"payment_method\": \"bank_transfer\"\n}"
        let signature = FinanOneSigner.signature(secret: "mySecretKey", method: "POST", path: "/api/v1/payments", payload: Array(pretty.utf8), timestamp: "1699999999")
        #expect(signature == "0a02473a0452f5c7cbb6e51fc280c477046470ede39fb48b7cde42c6ab192374")
    }

    @Test func nonASCIIBodyIsSignedAsRawUTF8() {
        let body = #"{"description":"thanh toán đơn hàng","amount":1000}"#
        let signature = FinanOneSigner.signature(secret: "mySecretKey", method: "POST", path: "/api/v1/payouts", payload: Array(body.utf8), timestamp: "1699999999")
        #expect(signature == "23261e09703133dbfc3adc4411a5de0d21303cdbe3cf1ed6653c152ce5e242f4")
    }
}

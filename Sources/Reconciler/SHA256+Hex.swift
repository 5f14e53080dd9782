import Crypto

extension SHA256 {
    /// Lowercase hex SHA-256 of the bytes.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        hash(data: Array(bytes)).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}

import Crypto
import Foundation
import X509

/// Certificates made for a test with swift-certificates: a CA of the test's own and one certificate it issues, valid
/// from an hour ago for the days asked, so an expiry is always relative to the time the test runs.
public enum TestCertificates {
    public struct Issued: Sendable {
        /// The CA's certificate, to trust.
        public let caPEM: String
        public let certificatePEM: String
        /// The certificate's private key (P-256), when the certificate was made for a fresh key.
        public let privateKeyPEM: String?
    }

    /// A certificate for `dnsName` valid for `days` from now, issued by a new CA, for `publicKey` or a fresh P-256 key.
    public static func issue(days: Double, dnsName: String = "localhost", publicKey: Certificate.PublicKey? = nil) throws -> Issued {
        let now = Date()
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("provision test CA \(UUID().uuidString.prefix(8))") }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(caKey.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 365 * 86_400, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey))
        let leafKey = publicKey == nil ? P256.Signing.PrivateKey() : nil
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey ?? Certificate.PublicKey(leafKey!.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + days * 86_400, issuer: caName,
            subject: try DistinguishedName { CommonName(dnsName) }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames([.dnsName(dnsName)])
                try ExtendedKeyUsage([.serverAuth])
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey))
        return Issued(
            caPEM: try ca.serializeAsPEM().pemString, certificatePEM: try leaf.serializeAsPEM().pemString, privateKeyPEM: leafKey?.pemRepresentation)
    }
}

import Crypto
import PlanModel

/// The digest of a resource's definition (its fingerprint, secrets masked): what a person's confirmation of a manual
/// step and an environment's apply record are kept under, whatever the state backend.
public enum DefinitionDigest {
    public static func of(_ resource: Resource) -> String {
        SHA256.hex(resource.fingerprint.utf8)
    }
}

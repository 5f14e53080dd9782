/// How the engine can reach a kind of resource at a bank.
public enum Capability: String, Sendable, Hashable, Codable {
    /// The API creates, reads and changes it.
    case managed
    /// The API reads it; a person creates it; plan checks that it exists.
    case observed
    /// Only a person can set it up (portal, e-mail); plan shows the steps, `provision confirm` records them.
    case manual
    /// The API starts it and a person finishes it in a browser.
    case interactive
}

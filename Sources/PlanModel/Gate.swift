/// A named manual step of an environment's journey (e.g. "NDA signed"), confirmed with `provision confirm --env E gate.NAME`.
public struct Gate: Sendable, Equatable {
    /// As the manifest names it under `environments.E.gates`.
    public var name: String
    /// What a person does, for the plan and the refusal.
    public var instructions: String
    public var location: SourceLocation

    public init(name: String, instructions: String, location: SourceLocation) {
        self.name = name
        self.instructions = instructions
        self.location = location
    }

    /// `gate.NAME`, as `provision confirm` takes it.
    public var address: String { "gate.\(name)" }
}

/// A named manual step of an environment's journey (e.g. "NDA signed"), confirmed with `provision confirm --env E gate.NAME`.
public struct Gate: Sendable, Equatable {
    /// As the manifest names it under `environments.E.gates`.
    public var name: String
    /// What a person does, for the plan and the refusal.
    public var instructions: String
    /// `owner:`: who confirms it (a team or a person), as written.
    public var owner: String?
    public var location: SourceLocation

    public init(name: String, instructions: String, owner: String? = nil, location: SourceLocation) {
        self.name = name
        self.instructions = instructions
        self.owner = owner
        self.location = location
    }

    /// `gate.NAME`, as `provision confirm` takes it.
    public var address: String { "gate.\(name)" }
}

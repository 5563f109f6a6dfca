/// One environment (`dev`, `prod`): its name and its desired state, with `base.yaml` already merged in.
public struct Environment: Sendable, Hashable {
    /// `metadata.name`: lowercase letters, digits and `-`.
    public var name: String
    /// The merged, validated desired state.
    public var spec: EnvironmentSpec

    /// Creates an environment.
    public init(name: String, spec: EnvironmentSpec) {
        self.name = name
        self.spec = spec
    }
}

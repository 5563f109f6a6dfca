/// One environment (`dev`, `prod`): its name and its desired state, with `base.yaml` already merged in.
public struct Environment: Sendable, Hashable {
    /// `metadata.name`: lowercase letters, digits and `-`.
    public var name: String
    /// `metadata.labels`: free-form, informational (merged over the environment's files in path order).
    public var labels: [String: String]
    /// The merged, validated desired state.
    public var spec: EnvironmentSpec

    /// Creates an environment.
    public init(name: String, labels: [String: String] = [:], spec: EnvironmentSpec) {
        self.name = name
        self.labels = labels
        self.spec = spec
    }
}

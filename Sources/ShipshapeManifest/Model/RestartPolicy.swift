/// When Docker restarts a container that stopped (runtime `docker` only).
public enum RestartPolicy: Sendable, Hashable {
    /// Never restart.
    case never
    /// Always restart, also after a daemon restart.
    case always
    /// Restart unless it was stopped on purpose (the default).
    case unlessStopped
    /// Restart after a non-zero exit, at most `maxRetries` times when given.
    case onFailure(maxRetries: Int?)

    /// The manifest spelling of the policy name.
    public var name: String {
        switch self {
        case .never: "never"
        case .always: "always"
        case .unlessStopped: "unlessStopped"
        case .onFailure: "onFailure"
        }
    }
}

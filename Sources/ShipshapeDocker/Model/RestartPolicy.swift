/// What the daemon does when a container's main process exits.
public enum RestartPolicy: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Never restart (Docker's default).
    case no
    /// Always restart, including after a daemon restart.
    case always
    /// Restart unless the container was stopped by hand.
    case unlessStopped
    /// Restart after a non-zero exit, at most `maxRetries` times (0 = no limit).
    case onFailure(maxRetries: Int)

    /// Docker's name of the policy.
    public var name: String {
        switch self {
        case .no: "no"
        case .always: "always"
        case .unlessStopped: "unless-stopped"
        case .onFailure: "on-failure"
        }
    }

    /// The retry limit (only meaningful for `onFailure`).
    public var maximumRetryCount: Int {
        if case .onFailure(let maxRetries) = self { return maxRetries }
        return 0
    }

    /// Builds a policy from Docker's name and retry count; nil for an unknown name. An empty name is `.no`.
    public init?(name: String, maximumRetryCount: Int) {
        switch name {
        case "", "no": self = .no
        case "always": self = .always
        case "unless-stopped": self = .unlessStopped
        case "on-failure": self = .onFailure(maxRetries: maximumRetryCount)
        default: return nil
        }
    }

    public var description: String {
        if case .onFailure(let maxRetries) = self { return "on-failure:\(maxRetries)" }
        return name
    }
}

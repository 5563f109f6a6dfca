/// What a failed step means for the loop (the taxonomy of controller-runtime and Flux).
public enum ErrorDisposition: String, Sendable, Hashable, Codable {
    /// Needs a new commit or a human (an image whose rollout failed its health check, a missing
    /// image): not retried at this revision, alerted.
    case stalled
    /// Expected to clear by itself (a deployment still settling): retried after a delay, no alert.
    case waiting
    /// Probably passing (a daemon or API unreachable, throttling): retried with backoff, alerted
    /// only when it persists.
    case transient
}

/// An error that knows its disposition. Errors that do not conform count as transient.
public protocol ClassifiedError: Error {
    var disposition: ErrorDisposition { get }
    /// True when the failed change was undone: the previous version runs again (a rollout's
    /// automatic rollback). The controller raises a `rolledBack` alert for it.
    var rolledBack: Bool { get }
}

extension ClassifiedError {
    public var rolledBack: Bool { false }
}

extension ErrorDisposition {
    /// The disposition of any error.
    public static func of(_ error: any Error) -> ErrorDisposition {
        (error as? any ClassifiedError)?.disposition ?? .transient
    }

    /// Whether `error` reports a rollback to the previous version.
    public static func rolledBack(_ error: any Error) -> Bool {
        (error as? any ClassifiedError)?.rolledBack ?? false
    }
}

import Foundation

/// A failed call to the Docker daemon: what was being done, on which resource, the HTTP status and
/// the daemon's own message.
///
/// Compare `code` to decide what to do (`error.code == .notFound`); print `description` for people.
/// Messages are sanitised: URLs lose their user information, and registry credentials never appear.
public struct DockerError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, stable for callers to branch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case daemonUnreachable = "daemon unreachable"
            case timeout
            case notFound = "not found"
            case conflict
            case badRequest = "bad request"
            case unauthorized
            case pullFailed = "pull failed"
            case unexpectedStatus = "unexpected status"
            case invalidResponse = "invalid response"
            case unhealthy
            case invalidCredentials = "invalid credentials"
        }
        private let kind: Kind

        /// Nothing answers on the socket (missing, refused, permission denied).
        public static let daemonUnreachable = Code(kind: .daemonUnreachable)
        /// The daemon did not answer within the request's deadline, or a wait ran out of time.
        public static let timeout = Code(kind: .timeout)
        /// HTTP 404: no such container or image.
        public static let notFound = Code(kind: .notFound)
        /// HTTP 409: a name already in use, an image used by a container, a removal in progress.
        public static let conflict = Code(kind: .conflict)
        /// HTTP 400: the daemon refused the request's parameters.
        public static let badRequest = Code(kind: .badRequest)
        /// The registry refused the credentials (or none were given for a private repository).
        public static let unauthorized = Code(kind: .unauthorized)
        /// An image pull failed part-way (an `error` line in the progress stream).
        public static let pullFailed = Code(kind: .pullFailed)
        /// Any other HTTP status the operation does not expect (typically 500).
        public static let unexpectedStatus = Code(kind: .unexpectedStatus)
        /// The daemon answered something this client cannot decode.
        public static let invalidResponse = Code(kind: .invalidResponse)
        /// A container's health check reported it unhealthy, or it stopped while being waited on.
        public static let unhealthy = Code(kind: .unhealthy)
        /// Registry credentials that cannot be used as given (e.g. a malformed ECR token).
        public static let invalidCredentials = Code(kind: .invalidCredentials)

        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What was being done, e.g. `"create container"`.
    public let operation: String
    /// The container, image or socket concerned, e.g. `"web-1"`.
    public let resource: String
    /// The HTTP status of the daemon's answer, when there was one.
    public let status: Int?
    /// The daemon's (or the transport's) message, sanitised.
    public let message: String

    /// What the operator can do about it, when there is something obvious.
    public let hint: String?

    /// Creates an error; `message` is sanitised here. Without a `hint`, the code's usual advice is used.
    public init(
        code: Code, operation: String, resource: String, status: Int? = nil, message: String, hint: String? = nil
    ) {
        self.code = code
        self.operation = operation
        self.resource = resource
        self.status = status
        self.message = DockerError.sanitize(message)
        self.hint = hint ?? DockerError.defaultHint(for: code)
    }

    public var description: String {
        var text = "Docker: \(operation) \(resource) failed"
        if let status { text += " (HTTP \(status))" }
        if !message.isEmpty { text += ": \(message)" }
        if let hint { text += ". \(hint)" }
        return text
    }

    static func defaultHint(for code: Code) -> String? {
        switch code {
        case .daemonUnreachable:
            "Check that dockerd is running and that this process may open the socket (root or the docker group)"
        case .unauthorized:
            "Check the registry credentials (or refresh the ECR token) for this image"
        default:
            nil
        }
    }

    /// Removes user information (`user:password@`) from every URL in `text`.
    static func sanitize(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            result += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let authorityEnd =
                rest.firstIndex(where: { $0 == "/" || $0 == " " || $0 == "\"" || $0 == "\n" }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                rest = rest[rest.index(after: at)...]
            }
        }
        return result + rest
    }
}

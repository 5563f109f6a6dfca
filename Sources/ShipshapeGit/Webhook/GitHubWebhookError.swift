/// A webhook request that is refused. `httpStatus` is what the receiver should answer.
public struct GitHubWebhookError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The body is larger than the configured cap (413).
        public static let bodyTooLarge = Code("bodyTooLarge")
        /// No `X-Hub-Signature-256` header (401).
        public static let missingSignature = Code("missingSignature")
        /// The signature does not match the body and the secret (401).
        public static let invalidSignature = Code("invalidSignature")
        /// The body is not the JSON payload of the event named in `X-GitHub-Event` (400).
        public static let malformedPayload = Code("malformedPayload")
        /// The secret file could not be read or is empty (a configuration problem, 500).
        public static let secretUnavailable = Code("secretUnavailable")
        public var description: String { name }
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status a receiver should answer with.
    public var httpStatus: Int {
        switch code {
        case .bodyTooLarge: 413
        case .missingSignature, .invalidSignature: 401
        case .malformedPayload: 400
        default: 500
        }
    }

    public var description: String { message }
}

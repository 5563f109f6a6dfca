/// A failed Git operation on the config repository.
///
/// `description` says what failed, on which repository (URL sanitised: no user name, password or
/// token) and what to do. Credentials never appear in it.
public struct GitError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is, for callers that react differently (retry, alert, stall).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case remoteUnreachable, authenticationFailed, certificateRejected, branchNotFound
            case referenceNotFound, pathNotFound, notADirectory, invalidLocalClone, cancelled
            case invalidArgument, operationFailed, commitNotSigned, untrustedSignature
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The remote could not be reached or is not a repository (DNS, connection, missing path).
        public static let remoteUnreachable = Code(.remoteUnreachable)
        /// The remote refused the credentials, or needed credentials that were not configured.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The server's TLS certificate or SSH host key was not trusted.
        public static let certificateRejected = Code(.certificateRejected)
        /// The branch does not exist on the remote (after the last fetch).
        public static let branchNotFound = Code(.branchNotFound)
        /// A ref, tag or revision could not be resolved to a commit.
        public static let referenceNotFound = Code(.referenceNotFound)
        /// The path does not exist in the commit's tree.
        public static let pathNotFound = Code(.pathNotFound)
        /// The path exists in the commit's tree but is a file, not a folder.
        public static let notADirectory = Code(.notADirectory)
        /// The local clone is missing, damaged or belongs to another remote.
        public static let invalidLocalClone = Code(.invalidLocalClone)
        /// The operation was cancelled by the caller.
        public static let cancelled = Code(.cancelled)
        /// An argument (URL, ref name, range, option) is not valid.
        public static let invalidArgument = Code(.invalidArgument)
        /// Signature verification is on and the commit carries no signature.
        public static let commitNotSigned = Code(.commitNotSigned)
        /// The commit's signature is invalid, by a key that is not allowed, or of an unsupported kind.
        public static let untrustedSignature = Code(.untrustedSignature)
        /// Any other libgit2 failure.
        public static let operationFailed = Code(.operationFailed)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// The sanitised, human-readable message.
    public let message: String

    /// Creates an error; `message` is sanitised (URLs lose their userinfo) before it is stored.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = GitURL.sanitizeText(message)
    }

    public var description: String { message }
}

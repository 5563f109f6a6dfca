import Logging

/// A source of AWS credentials: the environment, a profile file, the instance's role (IMDSv2), a chain.
///
/// Providers cache and refresh as their source requires; callers ask before each request.
public protocol CredentialProvider: Sendable {
    /// Current credentials, or an `AWSError` with code `NoCredentials` (or the source's own error).
    func credentials(logger: Logger) async throws -> AWSCredentials
}

/// Fixed credentials given in code (tests, tools).
public struct StaticCredentialProvider: CredentialProvider {
    public let value: AWSCredentials
    public init(_ credentials: AWSCredentials) { value = credentials }
    public func credentials(logger: Logger) async throws -> AWSCredentials { value }
}

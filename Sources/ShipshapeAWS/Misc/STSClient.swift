import Foundation

/// Who the credentials belong to.
public struct CallerIdentity: Sendable, Hashable {
    public var account: String
    public var arn: String
    public var userID: String
}

/// STS: the health check (GetCallerIdentity needs no permissions).
public struct STSClient: Sendable {
    public let client: AWSClient
    public init(client: AWSClient) { self.client = client }

    /// The account, ARN and user id of the credentials in use.
    public func getCallerIdentity() async throws -> CallerIdentity {
        let result = try await client.awsQueryResult(.stsGetCallerIdentity)
        return CallerIdentity(
            account: result.string("Account") ?? "", arn: result.string("Arn") ?? "", userID: result.string("UserId") ?? "")
    }
}

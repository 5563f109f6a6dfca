import Foundation

/// A secret's value. `description` never shows it.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible {
    public var arn: String?
    public var name: String
    public var versionID: String?
    public var string: String?
    public var binary: Data?
    public var description: String { "SecretValue(name: \(name), versionID: \(versionID ?? "nil"), value: ****)" }
}

/// Secrets Manager reads.
public struct SecretsManagerClient: Sendable {
    public let client: AWSClient
    public init(client: AWSClient) { self.client = client }

    /// The current (or `versionStage`) value of `secretID`; a missing secret fails with `ResourceNotFoundException`.
    public func getSecretValue(_ secretID: String, versionStage: String? = nil) async throws -> SecretValue {
        struct Input: Encodable {
            var SecretId: String
            var VersionStage: String?
        }
        struct Output: Decodable {
            var ARN: String?
            var Name: String?
            var VersionId: String?
            var SecretString: String?
            var SecretBinary: String?
        }
        let output = try await client.json(
            .secretsManagerGetSecretValue, Input(SecretId: secretID, VersionStage: versionStage), as: Output.self)
        return SecretValue(
            arn: output.ARN, name: output.Name ?? secretID, versionID: output.VersionId, string: output.SecretString,
            binary: output.SecretBinary.flatMap { Data(base64Encoded: $0) })
    }
}

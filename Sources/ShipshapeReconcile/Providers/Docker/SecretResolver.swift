public import ShipshapeManifest

/// Resolves a secret reference (`ssm:/prod/db/password`, `secretsmanager:prod/db:password`) to its
/// value at deploy time.
///
/// The Docker provider calls it while creating containers and puts the value into the container's
/// environment only: never into attributes, labels, plans, logs or errors. The controller passes an
/// implementation backed by SSM Parameter Store and Secrets Manager. Errors must not carry the value;
/// an error that is a `ClassifiedError` keeps its disposition, any other counts as transient.
public protocol SecretResolver: Sendable {
    /// The current value of the secret `reference` names.
    func resolve(_ reference: SecretReference) async throws -> String
}

/// Where a secret's value lives. The manifest names the secret; the value never appears in it.
///
/// Written `ssm:/path/to/parameter` (an SSM Parameter Store SecureString) or
/// `secretsmanager:name[:jsonKey]` (a Secrets Manager secret, optionally one key of its JSON value;
/// an ARN works as the name).
public enum SecretReference: Sendable, Hashable, CustomStringConvertible {
    /// An SSM parameter, by its full path (starting with `/`).
    case ssm(path: String)
    /// A Secrets Manager secret by name or ARN, optionally one key of its JSON value.
    case secretsManager(name: String, jsonKey: String?)

    /// The manifest spelling: `ssm:/prod/db/password`, `secretsmanager:prod/db:password`.
    public var description: String {
        switch self {
        case .ssm(let path):
            return "ssm:\(path)"
        case .secretsManager(let name, let jsonKey):
            return "secretsmanager:\(name)" + (jsonKey.map { ":\($0)" } ?? "")
        }
    }
}

import Foundation

/// Finds the region the way the AWS CLI does when none is configured explicitly.
public enum AWSRegion {
    /// `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `region` of the profile (`AWS_PROFILE` or
    /// `default`) in the config file; nil when none is set.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return ProfileCredentialProvider(environment: environment).region()
    }
}

import Foundation

/// The wire protocol a service speaks.
public enum AWSProtocol: Sendable, Hashable {
    /// EC2's Query flavour: form body `Action&Version`, XML response, `<Response><Errors><Error>` errors.
    case ec2Query(version: String)
    /// The `awsquery` flavour (RDS, ELBv2, STS): as EC2 but `<ErrorResponse><Error>` errors and
    /// `member` list items.
    case awsQuery(version: String)
    /// AWS JSON 1.0 or 1.1: `X-Amz-Target: Prefix.Operation`, JSON body, `__type` errors.
    case json(version: String, targetPrefix: String)
}

/// A service the client talks to: its signing name, endpoint prefix, environment name and protocol.
public struct AWSService: Sendable, Hashable, CustomStringConvertible {
    /// The SigV4 signing name and IAM action prefix (`ec2`, `elasticloadbalancing`).
    public let signingName: String
    /// The host prefix of the default endpoint (`api.ecr` for ECR).
    public let endpointPrefix: String
    /// The suffix of `AWS_ENDPOINT_URL_<SERVICE>` (the service id upper-cased, spaces to `_`).
    public let environmentName: String
    public let `protocol`: AWSProtocol

    public var description: String { signingName }

    public static let ec2 = AWSService(
        signingName: "ec2", endpointPrefix: "ec2", environmentName: "EC2", protocol: .ec2Query(version: "2016-11-15"))
    public static let rds = AWSService(
        signingName: "rds", endpointPrefix: "rds", environmentName: "RDS", protocol: .awsQuery(version: "2014-10-31"))
    public static let elbv2 = AWSService(
        signingName: "elasticloadbalancing", endpointPrefix: "elasticloadbalancing",
        environmentName: "ELASTIC_LOAD_BALANCING_V2", protocol: .awsQuery(version: "2015-12-01"))
    public static let sts = AWSService(
        signingName: "sts", endpointPrefix: "sts", environmentName: "STS", protocol: .awsQuery(version: "2011-06-15"))
    public static let ecs = AWSService(
        signingName: "ecs", endpointPrefix: "ecs", environmentName: "ECS",
        protocol: .json(version: "1.1", targetPrefix: "AmazonEC2ContainerServiceV20141113"))
    public static let ecr = AWSService(
        signingName: "ecr", endpointPrefix: "api.ecr", environmentName: "ECR",
        protocol: .json(version: "1.1", targetPrefix: "AmazonEC2ContainerRegistry_V20150921"))
    public static let dynamodb = AWSService(
        signingName: "dynamodb", endpointPrefix: "dynamodb", environmentName: "DYNAMODB",
        protocol: .json(version: "1.0", targetPrefix: "DynamoDB_20120810"))
    public static let ssm = AWSService(
        signingName: "ssm", endpointPrefix: "ssm", environmentName: "SSM",
        protocol: .json(version: "1.1", targetPrefix: "AmazonSSM"))
    public static let secretsManager = AWSService(
        signingName: "secretsmanager", endpointPrefix: "secretsmanager", environmentName: "SECRETS_MANAGER",
        protocol: .json(version: "1.1", targetPrefix: "secretsmanager"))
}

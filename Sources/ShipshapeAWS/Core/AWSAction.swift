/// An API operation the client calls. Every call goes through one of the values in `AWSAction.all`;
/// the initialiser is private to this file, so the registry below is the complete list of what
/// Shipshape does in AWS (a test can check an IAM policy against `iamActions`).
public struct AWSAction: Sendable, Hashable, CustomStringConvertible {
    public let service: AWSService
    /// The operation name (`DescribeInstances`).
    public let name: String
    /// Whether the call changes state in AWS (what an idempotence test counts).
    public let isMutating: Bool

    private init(_ service: AWSService, _ name: String, mutating: Bool) {
        self.service = service
        self.name = name
        isMutating = mutating
    }

    /// The IAM action (`ec2:DescribeInstances`).
    public var iamAction: String { "\(service.signingName):\(name)" }
    public var description: String { iamAction }

    // MARK: EC2
    public static let ec2DescribeSecurityGroups = AWSAction(.ec2, "DescribeSecurityGroups", mutating: false)
    public static let ec2DescribeSecurityGroupRules = AWSAction(.ec2, "DescribeSecurityGroupRules", mutating: false)
    public static let ec2CreateSecurityGroup = AWSAction(.ec2, "CreateSecurityGroup", mutating: true)
    public static let ec2AuthorizeSecurityGroupIngress = AWSAction(.ec2, "AuthorizeSecurityGroupIngress", mutating: true)
    public static let ec2AuthorizeSecurityGroupEgress = AWSAction(.ec2, "AuthorizeSecurityGroupEgress", mutating: true)
    public static let ec2RevokeSecurityGroupIngress = AWSAction(.ec2, "RevokeSecurityGroupIngress", mutating: true)
    public static let ec2RevokeSecurityGroupEgress = AWSAction(.ec2, "RevokeSecurityGroupEgress", mutating: true)
    public static let ec2ModifySecurityGroupRules = AWSAction(.ec2, "ModifySecurityGroupRules", mutating: true)
    public static let ec2DescribeInstances = AWSAction(.ec2, "DescribeInstances", mutating: false)
    public static let ec2StopInstances = AWSAction(.ec2, "StopInstances", mutating: true)
    public static let ec2StartInstances = AWSAction(.ec2, "StartInstances", mutating: true)
    public static let ec2ModifyInstanceAttribute = AWSAction(.ec2, "ModifyInstanceAttribute", mutating: true)
    public static let ec2CreateTags = AWSAction(.ec2, "CreateTags", mutating: true)
    public static let ec2DeleteTags = AWSAction(.ec2, "DeleteTags", mutating: true)
    public static let ec2DescribeVpcs = AWSAction(.ec2, "DescribeVpcs", mutating: false)

    // MARK: ECR
    public static let ecrDescribeImages = AWSAction(.ecr, "DescribeImages", mutating: false)
    public static let ecrGetAuthorizationToken = AWSAction(.ecr, "GetAuthorizationToken", mutating: false)

    // MARK: ECS
    public static let ecsDescribeServices = AWSAction(.ecs, "DescribeServices", mutating: false)
    public static let ecsListServices = AWSAction(.ecs, "ListServices", mutating: false)
    public static let ecsDescribeTaskDefinition = AWSAction(.ecs, "DescribeTaskDefinition", mutating: false)
    public static let ecsRegisterTaskDefinition = AWSAction(.ecs, "RegisterTaskDefinition", mutating: true)
    public static let ecsUpdateService = AWSAction(.ecs, "UpdateService", mutating: true)
    public static let ecsDescribeClusters = AWSAction(.ecs, "DescribeClusters", mutating: false)

    // MARK: RDS
    public static let rdsDescribeDBInstances = AWSAction(.rds, "DescribeDBInstances", mutating: false)
    public static let rdsModifyDBInstance = AWSAction(.rds, "ModifyDBInstance", mutating: true)

    // MARK: ELBv2
    public static let elbv2RegisterTargets = AWSAction(.elbv2, "RegisterTargets", mutating: true)
    public static let elbv2DeregisterTargets = AWSAction(.elbv2, "DeregisterTargets", mutating: true)
    public static let elbv2DescribeTargetHealth = AWSAction(.elbv2, "DescribeTargetHealth", mutating: false)

    // MARK: DynamoDB
    public static let dynamodbGetItem = AWSAction(.dynamodb, "GetItem", mutating: false)
    public static let dynamodbPutItem = AWSAction(.dynamodb, "PutItem", mutating: true)
    public static let dynamodbUpdateItem = AWSAction(.dynamodb, "UpdateItem", mutating: true)
    public static let dynamodbDeleteItem = AWSAction(.dynamodb, "DeleteItem", mutating: true)
    public static let dynamodbCreateTable = AWSAction(.dynamodb, "CreateTable", mutating: true)
    public static let dynamodbDescribeTable = AWSAction(.dynamodb, "DescribeTable", mutating: false)

    // MARK: SSM, Secrets Manager, STS
    public static let ssmGetParameter = AWSAction(.ssm, "GetParameter", mutating: false)
    public static let ssmGetParameters = AWSAction(.ssm, "GetParameters", mutating: false)
    public static let secretsManagerGetSecretValue = AWSAction(.secretsManager, "GetSecretValue", mutating: false)
    public static let stsGetCallerIdentity = AWSAction(.sts, "GetCallerIdentity", mutating: false)

    /// Every action Shipshape calls.
    public static let all: [AWSAction] = [
        ec2DescribeSecurityGroups, ec2DescribeSecurityGroupRules, ec2CreateSecurityGroup,
        ec2AuthorizeSecurityGroupIngress, ec2AuthorizeSecurityGroupEgress, ec2RevokeSecurityGroupIngress,
        ec2RevokeSecurityGroupEgress, ec2ModifySecurityGroupRules, ec2DescribeInstances, ec2StopInstances,
        ec2StartInstances, ec2ModifyInstanceAttribute, ec2CreateTags, ec2DeleteTags, ec2DescribeVpcs,
        ecrDescribeImages, ecrGetAuthorizationToken,
        ecsDescribeServices, ecsListServices, ecsDescribeTaskDefinition, ecsRegisterTaskDefinition, ecsUpdateService,
        ecsDescribeClusters,
        rdsDescribeDBInstances, rdsModifyDBInstance,
        elbv2RegisterTargets, elbv2DeregisterTargets, elbv2DescribeTargetHealth,
        dynamodbGetItem, dynamodbPutItem, dynamodbUpdateItem, dynamodbDeleteItem, dynamodbCreateTable,
        dynamodbDescribeTable,
        ssmGetParameter, ssmGetParameters, secretsManagerGetSecretValue, stsGetCallerIdentity,
    ]

    /// The IAM actions of `all`, sorted, for a least-privilege policy.
    public static var iamActions: [String] { all.map(\.iamAction).sorted() }

    /// A least-privilege IAM policy document (JSON) allowing exactly the actions in `all`.
    public static var iamPolicyDocument: String {
        let actions = iamActions.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["# + actions + #"], "Resource": "*"}]}"#
    }

    /// The names of the mutating operations, for counting writes in recordings.
    public static var mutatingNames: Set<String> { Set(all.filter(\.isMutating).map(\.name)) }
}

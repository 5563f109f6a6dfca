/// The keys each object of the format accepts. The decoder refuses every other key, and a test
/// checks that `manifests/schema/shipshape-v1.schema.json` lists exactly these, object by object
/// (the dictionary keys of `all` are the schema's `$defs` names).
enum ManifestKeys {
    static let document = ["apiVersion", "kind", "metadata", "spec"]
    static let metadata = ["name", "labels"]
    static let spec = ["region", "services", "instances", "databases", "securityGroups", "secrets", "policy", "alerts"]
    static let service = [
        "runtime", "image", "tag", "digest", "replicas", "ports", "env", "secrets", "command", "health", "strategy",
        "resources", "restart", "logging", "volumes", "networkMode", "ecs",
    ]
    static let health = ["http", "port", "command", "timeout", "interval", "retries"]
    static let strategy = ["type", "maxUnavailable", "keepBlueFor", "targetGroupArn", "steps", "observe", "probe", "analysis"]
    static let canaryAnalysis = ["query", "max", "min", "interval"]
    static let resources = ["memory", "cpus"]
    static let restart = ["policy", "maxRetries"]
    static let logging = ["driver", "options"]
    static let ecs = ["cluster", "launchType", "subnets", "securityGroups", "assignPublicIp"]
    static let instance = ["type", "ami", "subnet", "securityGroups", "tags", "adopt"]
    static let adopt = ["id", "tag"]
    static let database = [
        "class", "engine", "engineVersion", "storage", "applyImmediately", "maintenanceWindow", "multiAZ", "securityGroups",
        "masterUsername", "masterPassword", "adopt",
    ]
    static let securityGroup = ["vpc", "description", "ingress", "egress", "tags", "adopt"]
    static let rule = ["protocol", "ports", "cidr", "cidrIPv6", "group", "description"]
    static let policy = ["prune", "selfHeal", "detectOnly", "maxChanges", "approval", "maintenanceWindow"]
    static let maintenanceWindow = ["schedule", "duration"]
    static let alerts = ["routes"]
    static let alertRoute = ["sink", "events", "minSeverity"]

    /// Schema definition name → accepted keys.
    static let all: [String: [String]] = [
        "document": document,
        "metadata": metadata,
        "spec": spec,
        "service": service,
        "health": health,
        "strategy": strategy,
        "canaryAnalysis": canaryAnalysis,
        "resources": resources,
        "restart": restart,
        "logging": logging,
        "ecs": ecs,
        "instance": instance,
        "adopt": adopt,
        "database": database,
        "securityGroup": securityGroup,
        "rule": rule,
        "policy": policy,
        "maintenanceWindow": maintenanceWindow,
        "alerts": alerts,
        "alertRoute": alertRoute,
    ]
}

/// Prints an environment as canonical YAML: the merged result of `base.yaml` and the environment's
/// files, with every default written out, keys in a fixed order and maps sorted. Feeding the output
/// back to `ManifestLoader` yields the same `Environment` (`shipshape render --env prod`).
public enum ManifestRenderer {
    /// The canonical YAML document of `environment`.
    public static func render(_ environment: Environment) -> String {
        var document: [(String, YAMLValue)] = [
            ("apiVersion", .string(SpecDecoder.apiVersion)),
            ("kind", .string(DocumentKind.environment.rawValue)),
            ("metadata", .map([("name", .string(environment.name))] + (environment.labels.isEmpty ? [] : [("labels", stringMap(environment.labels))]))),
        ]
        document.append(("spec", spec(environment.spec)))
        var output = ""
        YAMLValue.map(document).write(into: &output, indent: 0)
        return output
    }

    static func spec(_ spec: EnvironmentSpec) -> YAMLValue {
        var fields: [(String, YAMLValue)] = []
        if let region = spec.region { fields.append(("region", .string(region))) }
        if !spec.secrets.isEmpty {
            fields.append(("secrets", .map(spec.secrets.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.description)) })))
        }
        if !spec.securityGroups.isEmpty {
            fields.append(("securityGroups", .map(spec.securityGroups.sorted { $0.key < $1.key }.map { ($0.key, securityGroup($0.value)) })))
        }
        if !spec.services.isEmpty {
            fields.append(("services", .map(spec.services.sorted { $0.key < $1.key }.map { ($0.key, service($0.value)) })))
        }
        if !spec.instances.isEmpty {
            fields.append(("instances", .map(spec.instances.sorted { $0.key < $1.key }.map { ($0.key, instance($0.value)) })))
        }
        if !spec.databases.isEmpty {
            fields.append(("databases", .map(spec.databases.sorted { $0.key < $1.key }.map { ($0.key, database($0.value)) })))
        }
        fields.append(("policy", policy(spec.policy)))
        if !spec.alerts.isEmpty {
            fields.append(("alerts", .map([("routes", .list(spec.alerts.map(alertRoute)))])))
        }
        return .map(fields)
    }

    static func service(_ service: Service) -> YAMLValue {
        var fields: [(String, YAMLValue)] = [
            ("runtime", .string(service.runtime.rawValue)),
            ("image", .string(service.image.name)),
        ]
        if let tag = service.image.tag { fields.append(("tag", .string(tag))) }
        if let digest = service.image.digest { fields.append(("digest", .string(digest))) }
        fields.append(("replicas", .number(String(service.replicas))))
        if !service.ports.isEmpty { fields.append(("ports", .list(service.ports.map { .string($0.description) }))) }
        if !service.env.isEmpty { fields.append(("env", stringMap(service.env))) }
        if !service.secrets.isEmpty {
            fields.append(("secrets", .map(service.secrets.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.description)) })))
        }
        if let command = service.command { fields.append(("command", .list(command.map(YAMLValue.string)))) }
        if let health = service.health { fields.append(("health", healthCheck(health))) }
        fields.append(("strategy", strategy(service.strategy)))
        if let resources = service.resources {
            var limits: [(String, YAMLValue)] = []
            if let memory = resources.memoryBytes { limits.append(("memory", .string(MemorySyntax.format(memory)))) }
            if let cpus = resources.cpus { limits.append(("cpus", .number(String(cpus)))) }
            fields.append(("resources", .map(limits)))
        }
        if let restart = service.restart {
            if case .onFailure(let retries?) = restart {
                fields.append(("restart", .map([("policy", .string(restart.name)), ("maxRetries", .number(String(retries)))])))
            } else {
                fields.append(("restart", .string(restart.name)))
            }
        }
        if let logging = service.logging {
            var log: [(String, YAMLValue)] = [("driver", .string(logging.driver))]
            if !logging.options.isEmpty { log.append(("options", stringMap(logging.options))) }
            fields.append(("logging", .map(log)))
        }
        if !service.volumes.isEmpty { fields.append(("volumes", .list(service.volumes.map { .string($0.description) }))) }
        if let mode = service.networkMode { fields.append(("networkMode", .string(mode.description))) }
        if let ecs = service.ecs {
            var placement: [(String, YAMLValue)] = [
                ("cluster", .string(ecs.cluster)),
                ("launchType", .string(ecs.launchType.rawValue)),
            ]
            if !ecs.subnets.isEmpty { placement.append(("subnets", .list(ecs.subnets.map(YAMLValue.string)))) }
            if !ecs.securityGroups.isEmpty { placement.append(("securityGroups", .list(ecs.securityGroups.map(YAMLValue.string)))) }
            placement.append(("assignPublicIp", .bool(ecs.assignPublicIp)))
            fields.append(("ecs", .map(placement)))
        }
        return .map(fields)
    }

    static func healthCheck(_ check: HealthCheck) -> YAMLValue {
        var fields: [(String, YAMLValue)] = []
        if let path = check.httpPath { fields.append(("http", .string(path))) }
        if let port = check.port { fields.append(("port", .number(String(port)))) }
        if let command = check.command { fields.append(("command", .list(command.map(YAMLValue.string)))) }
        fields.append(("timeout", .string(DurationSyntax.format(check.timeout))))
        fields.append(("interval", .string(DurationSyntax.format(check.interval))))
        fields.append(("retries", .number(String(check.retries))))
        return .map(fields)
    }

    static func strategy(_ strategy: DeploymentStrategy) -> YAMLValue {
        var fields: [(String, YAMLValue)] = [("type", .string(strategy.kind.rawValue))]
        switch strategy.kind {
        case .rolling:
            fields.append(("maxUnavailable", .number(String(strategy.maxUnavailable))))
        case .blueGreen:
            fields.append(("keepBlueFor", .string(DurationSyntax.format(strategy.keepBlueFor))))
        case .canary:
            fields.append(("steps", .list(strategy.steps.map { .number(String($0)) })))
            fields.append(("observe", .string(DurationSyntax.format(strategy.observe))))
        }
        if strategy.kind != .rolling {
            if let arn = strategy.targetGroupArn { fields.append(("targetGroupArn", .string(arn))) }
            if let probe = strategy.probe { fields.append(("probe", healthCheck(probe))) }
        }
        if strategy.kind == .canary, let analysis = strategy.analysis {
            var check: [(String, YAMLValue)] = [("query", .string(analysis.query))]
            if let max = analysis.max { check.append(("max", .number(String(max)))) }
            if let min = analysis.min { check.append(("min", .number(String(min)))) }
            check.append(("interval", .string(DurationSyntax.format(analysis.interval))))
            fields.append(("analysis", .map(check)))
        }
        return .map(fields)
    }

    static func instance(_ instance: Instance) -> YAMLValue {
        var fields: [(String, YAMLValue)] = [
            ("type", .string(instance.type)),
            ("ami", .string(instance.ami)),
            ("subnet", .string(instance.subnet)),
        ]
        if !instance.securityGroups.isEmpty { fields.append(("securityGroups", .list(instance.securityGroups.map(YAMLValue.string)))) }
        if !instance.tags.isEmpty { fields.append(("tags", stringMap(instance.tags))) }
        if let adopt = instance.adopt { fields.append(("adopt", adoption(adopt))) }
        return .map(fields)
    }

    static func database(_ database: Database) -> YAMLValue {
        var fields: [(String, YAMLValue)] = [
            ("class", .string(database.instanceClass)),
            ("engine", .string(database.engine.rawValue)),
        ]
        if let version = database.engineVersion { fields.append(("engineVersion", .string(version))) }
        fields.append(("storage", .number(String(database.storageGiB))))
        fields.append(("applyImmediately", .bool(database.applyImmediately)))
        if let window = database.maintenanceWindow { fields.append(("maintenanceWindow", .string(window.description))) }
        fields.append(("multiAZ", .bool(database.multiAZ)))
        if !database.securityGroups.isEmpty { fields.append(("securityGroups", .list(database.securityGroups.map(YAMLValue.string)))) }
        if let user = database.masterUsername { fields.append(("masterUsername", .string(user))) }
        if let password = database.masterPassword { fields.append(("masterPassword", .string(password.description))) }
        if let adopt = database.adopt { fields.append(("adopt", adoption(adopt))) }
        return .map(fields)
    }

    static func securityGroup(_ group: SecurityGroup) -> YAMLValue {
        var fields: [(String, YAMLValue)] = [
            ("vpc", .string(group.vpc)),
            ("description", .string(group.description)),
            ("ingress", .list(group.ingress.map(rule))),
        ]
        if let egress = group.egress { fields.append(("egress", .list(egress.map(rule)))) }
        if !group.tags.isEmpty { fields.append(("tags", stringMap(group.tags))) }
        if let adopt = group.adopt { fields.append(("adopt", adoption(adopt))) }
        return .map(fields)
    }

    static func rule(_ rule: SecurityGroupRule) -> YAMLValue {
        var fields: [(String, YAMLValue)] = [("protocol", .string(rule.protocol.rawValue))]
        if let ports = rule.ports {
            fields.append(("ports", ports.lowerBound == ports.upperBound ? .number(String(ports.lowerBound)) : .string(PortRangeSyntax.format(ports))))
        }
        switch rule.peer {
        case .cidr(let block): fields.append(("cidr", .string(block)))
        case .cidrIPv6(let block): fields.append(("cidrIPv6", .string(block)))
        case .group(let name): fields.append(("group", .string(name)))
        }
        if let description = rule.description { fields.append(("description", .string(description))) }
        return .map(fields)
    }

    static func adoption(_ adoption: Adoption) -> YAMLValue {
        switch adoption {
        case .id(let id): .map([("id", .string(id))])
        case .tag(let key, let value): .map([("tag", .string("\(key)=\(value)"))])
        }
    }

    static func policy(_ policy: Policy) -> YAMLValue {
        var fields: [(String, YAMLValue)] = [
            ("prune", .bool(policy.prune)),
            ("selfHeal", .bool(policy.selfHeal)),
        ]
        if !policy.detectOnly.isEmpty {
            fields.append(("detectOnly", .list(ResourceSection.allCases.filter(policy.detectOnly.contains).map { .string($0.rawValue) })))
        }
        if let maxChanges = policy.maxChanges { fields.append(("maxChanges", .number(String(maxChanges)))) }
        fields.append(("approval", .string(policy.approval.rawValue)))
        if let window = policy.maintenanceWindow {
            fields.append(
                (
                    "maintenanceWindow",
                    .map([("schedule", .string(window.schedule.expression)), ("duration", .string(DurationSyntax.format(window.duration)))])
                )
            )
        }
        return .map(fields)
    }

    static func alertRoute(_ route: AlertRoute) -> YAMLValue {
        var fields: [(String, YAMLValue)] = [("sink", .string(route.sink))]
        if !route.events.isEmpty {
            fields.append(("events", .list(AlertEvent.allCases.filter(route.events.contains).map { .string($0.rawValue) })))
        }
        fields.append(("minSeverity", .string(route.minSeverity.rawValue)))
        return .map(fields)
    }

    static func stringMap(_ map: [String: String]) -> YAMLValue {
        .map(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }
}

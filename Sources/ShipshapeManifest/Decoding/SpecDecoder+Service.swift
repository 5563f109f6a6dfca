extension SpecDecoder {
    /// Decodes one entry of `services:`. Nil when any part is invalid (reported).
    mutating func service(named name: String, _ node: ManifestNode) -> Service? {
        let path = "services.\(name)"
        guard let fields = fields(node, path, allowed: ManifestKeys.service) else { return nil }
        let errorsBefore = errorCount

        var runtime: Service.Runtime?
        if let node = fields["runtime"] {
            runtime = choice(node, fields.path("runtime"), as: Service.Runtime.self)
        } else {
            error("\(path) has no runtime", at: node.location, hint: "add runtime: docker (this host) or runtime: ecs")
        }
        let image = imageReference(fields, path: path)

        var replicas = 1
        if let node = fields["replicas"], let value = int(node, fields.path("replicas"), in: 0...1000) { replicas = value }
        var ports: [PortMapping] = []
        if let node = fields["ports"], let items = list(node, fields.path("ports")) {
            var seen: [PortMapping: Int] = [:]
            for (index, item) in items.enumerated() {
                let itemPath = "\(fields.path("ports"))[\(index)]"
                guard let mapping = portMapping(item, itemPath) else { continue }
                if let first = seen[mapping] {
                    error("\(itemPath) repeats \(fields.path("ports"))[\(first)]", at: item.location, hint: "remove the duplicate")
                }
                seen[mapping] = seen[mapping] ?? index
                ports.append(mapping)
            }
        }
        var env: [String: String] = [:]
        if let node = fields["env"], let map = stringMap(node, fields.path("env")) {
            env = map
            for entry in node.entries ?? [] where !NameSyntax.isVariableName(entry.key) {
                error(
                    "environment variable name '\(entry.key)' in \(fields.path("env")) is invalid",
                    at: entry.keyLocation,
                    hint: "use letters, digits and '_', not starting with a digit"
                )
            }
        }
        var secrets: [String: SecretReference] = [:]
        if let node = fields["secrets"] {
            for entry in namedEntries(node, fields.path("secrets")) {
                let entryPath = "\(fields.path("secrets")).\(entry.key)"
                if !NameSyntax.isVariableName(entry.key) {
                    error(
                        "environment variable name '\(entry.key)' in \(fields.path("secrets")) is invalid",
                        at: entry.keyLocation,
                        hint: "use letters, digits and '_', not starting with a digit"
                    )
                    continue
                }
                if env[entry.key] != nil {
                    error(
                        "\(entry.key) is set both in \(fields.path("env")) and in \(fields.path("secrets"))",
                        at: entry.keyLocation,
                        hint: "keep it in one of them"
                    )
                }
                if let reference = serviceSecret(entry.value, entryPath) { secrets[entry.key] = reference }
            }
        }
        var command: [String]?
        if let node = fields["command"], let items = stringList(node, fields.path("command")) {
            if items.isEmpty {
                error("\(fields.path("command")) is empty", at: node.location, hint: "remove it to use the image's command")
            }
            command = items
        }
        var health: HealthCheck?
        if let node = fields["health"] { health = healthCheck(node, fields.path("health")) }
        var strategy = DeploymentStrategy()
        if let node = fields["strategy"], let value = self.strategy(node, fields.path("strategy"), runtime: runtime) {
            strategy = value
        }
        var resources: ResourceLimits?
        if let node = fields["resources"] { resources = self.resources(node, fields.path("resources")) }
        var restart: RestartPolicy?
        if let node = fields["restart"] {
            restart = restartPolicy(node, fields.path("restart"))
            if runtime == .ecs {
                error("\(fields.path("restart")) applies to runtime docker only", at: node.location, hint: "ECS restarts tasks itself; remove restart")
            }
        }
        var logging: LogOptions?
        if let node = fields["logging"] { logging = logOptions(node, fields.path("logging")) }
        var volumes: [VolumeMount] = []
        if let node = fields["volumes"], let items = list(node, fields.path("volumes")) {
            if runtime == .ecs, !items.isEmpty {
                error("\(fields.path("volumes")) applies to runtime docker only", at: node.location)
            }
            var targets: [String: Int] = [:]
            for (index, item) in items.enumerated() {
                let itemPath = "\(fields.path("volumes"))[\(index)]"
                guard let mount = volumeMount(item, itemPath) else { continue }
                if let first = targets[mount.target] {
                    error("\(itemPath) mounts \(mount.target) again (see \(fields.path("volumes"))[\(first)])", at: item.location)
                }
                targets[mount.target] = targets[mount.target] ?? index
                volumes.append(mount)
            }
        }
        var networkMode: NetworkMode?
        if let node = fields["networkMode"] {
            networkMode = self.networkMode(node, fields.path("networkMode"), runtime: runtime)
            if networkMode == .host || networkMode == NetworkMode.none, !ports.isEmpty {
                error(
                    "\(path) publishes ports but uses networkMode \(networkMode!)",
                    at: node.location,
                    hint: "with host networking the container's ports are the host's; remove ports"
                )
            }
        }
        var ecs: ECSPlacement?
        if let node = fields["ecs"] {
            if runtime == .docker {
                error("\(fields.path("ecs")) applies to runtime ecs only", at: node.location)
            } else {
                ecs = ecsPlacement(node, fields.path("ecs"))
            }
        } else if runtime == .ecs {
            error("\(path) runs on ECS but has no ecs settings", at: node.location, hint: "add ecs: { cluster: NAME }")
        }
        if runtime == .ecs {
            for (index, port) in ports.enumerated() where port.hostIP != nil || (networkMode ?? .awsvpc) == .awsvpc && port.hostPort != port.containerPort {
                error(
                    "\(fields.path("ports"))[\(index)] '\(port)' cannot be published on ECS with awsvpc networking",
                    at: (fields["ports"]?.sequenceItem(index) ?? node).location,
                    hint: "ECS tasks publish the container port itself: write \"\(port.containerPort)\""
                )
            }
        }
        guard errorCount == errorsBefore, let runtime, let image else { return nil }
        var service = Service(
            name: name,
            runtime: runtime,
            image: image,
            replicas: replicas,
            ports: ports,
            env: env,
            command: command,
            health: health
        )
        service.secrets = secrets
        service.strategy = strategy
        service.resources = resources
        service.restart = restart
        service.logging = logging
        service.volumes = volumes
        service.networkMode = networkMode
        service.ecs = ecs
        return service
    }

    /// A service's secret: a reference (`ssm:/…`, `secretsmanager:…`) or the name of an entry of
    /// `spec.secrets`.
    mutating func serviceSecret(_ node: ManifestNode, _ path: String) -> SecretReference? {
        guard let text = string(node, path) else { return nil }
        if text.hasPrefix("ssm:") || text.hasPrefix("secretsmanager:") {
            return secretReference(text, node, path)
        }
        if let declared = declaredSecrets[text] { return declared }
        // Declared but invalid: its own diagnostic already blocks the environment.
        if secretNames.contains(text) { return nil }
        let known = declaredSecrets.keys.sorted()
        error(
            "\(path) refers to secret '\(text)', which is not declared in spec.secrets",
            at: node.location,
            hint: known.isEmpty
                ? "write a reference (ssm:/path or secretsmanager:name) or declare it under spec.secrets"
                : Self.nearMatch(for: text, among: known).map { "did you mean '\($0)'?" }
                    ?? "declared secrets: \(known.joined(separator: ", "))"
        )
        return nil
    }

    /// Parses `ssm:/path` or `secretsmanager:name[:jsonKey]` (the name may be an ARN).
    mutating func secretReference(_ text: String, _ node: ManifestNode, _ path: String) -> SecretReference? {
        if text.hasPrefix("ssm:") {
            let name = String(text.dropFirst(4))
            let allowed = name.utf8.allSatisfy { $0.isASCIIAlphanumeric || "_.-/".utf8.contains($0) }
            guard name.hasPrefix("/"), name.count > 1, name.count <= 2048, allowed, !name.contains("//"), !name.hasSuffix("/") else {
                error(
                    "\(path) '\(text)' is not a valid SSM parameter reference",
                    at: node.location,
                    hint: "write ssm:/path/to/parameter (letters, digits, '_', '.', '-', '/')"
                )
                return nil
            }
            return .ssm(path: name)
        }
        if text.hasPrefix("secretsmanager:") {
            var rest = Substring(text.dropFirst("secretsmanager:".count))
            var jsonKey: String?
            if rest.hasPrefix("arn:") {
                let parts = rest.split(separator: ":", maxSplits: 7, omittingEmptySubsequences: false)
                if parts.count == 8 {
                    jsonKey = String(parts[7])
                    rest = rest.dropLast(parts[7].count + 1)
                }
                guard parts.count >= 7, parts[2] == "secretsmanager", parts[5] == "secret" else {
                    error(
                        "\(path) '\(text)' is not a valid Secrets Manager ARN",
                        at: node.location,
                        hint: "write secretsmanager:arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME[:jsonKey]"
                    )
                    return nil
                }
            } else if let colon = rest.firstIndex(of: ":") {
                jsonKey = String(rest[rest.index(after: colon)...])
                rest = rest[..<colon]
            }
            let nameOK = rest.hasPrefix("arn:")
                || (!rest.isEmpty && rest.count <= 512 && rest.utf8.allSatisfy { $0.isASCIIAlphanumeric || "/_+=.@-".utf8.contains($0) })
            guard nameOK, jsonKey.map({ !$0.isEmpty }) ?? true else {
                error(
                    "\(path) '\(text)' is not a valid Secrets Manager reference",
                    at: node.location,
                    hint: "write secretsmanager:NAME or secretsmanager:NAME:jsonKey (NAME: letters, digits, '/_+=.@-')"
                )
                return nil
            }
            return .secretsManager(name: String(rest), jsonKey: jsonKey)
        }
        error(
            "\(path) '\(text)' is not a secret reference",
            at: node.location,
            hint: "write ssm:/path/to/parameter or secretsmanager:NAME[:jsonKey]"
        )
        return nil
    }

    mutating func strategy(_ node: ManifestNode, _ path: String, runtime: Service.Runtime?) -> DeploymentStrategy? {
        guard let fields = fields(node, path, allowed: ManifestKeys.strategy) else { return nil }
        var strategy = DeploymentStrategy()
        if let node = fields["type"], let kind = choice(node, fields.path("type"), as: DeploymentStrategy.Kind.self) {
            strategy.kind = kind
        }
        let applicable: [String: [DeploymentStrategy.Kind]] = [
            "maxUnavailable": [.rolling],
            "keepBlueFor": [.blueGreen],
            "targetGroupArn": [.blueGreen, .canary],
            "steps": [.canary],
            "observe": [.canary],
            "probe": [.blueGreen, .canary],
            "analysis": [.canary],
        ]
        for key in ManifestKeys.strategy where key != "type" {
            guard let entry = fields.byKey[key], let kinds = applicable[key], !kinds.contains(strategy.kind) else { continue }
            error(
                "\(fields.path(key)) does not apply to a \(strategy.kind.rawValue) rollout",
                at: entry.keyLocation,
                hint: "\(key) applies to: \(kinds.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if let node = fields["maxUnavailable"], let value = int(node, fields.path("maxUnavailable"), in: 1...1000) {
            strategy.maxUnavailable = value
        }
        if let node = fields["keepBlueFor"], let value = duration(node, fields.path("keepBlueFor")) { strategy.keepBlueFor = value }
        if let node = fields["targetGroupArn"], let value = string(node, fields.path("targetGroupArn")) {
            if ARNSyntax.isTargetGroup(value) {
                strategy.targetGroupArn = value
            } else {
                error(
                    "\(fields.path("targetGroupArn")) '\(value)' is not a target group ARN",
                    at: node.location,
                    hint: "arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID"
                )
            }
        }
        if let node = fields["steps"], let items = list(node, fields.path("steps")) {
            var steps: [Int] = []
            for (index, item) in items.enumerated() {
                if let value = int(item, "\(fields.path("steps"))[\(index)]", in: 1...100) { steps.append(value) }
            }
            if steps.count == items.count {
                if steps.isEmpty || zip(steps, steps.dropFirst()).contains(where: { $0 >= $1 }) || steps.last != 100 {
                    error(
                        "\(fields.path("steps")) must be increasing percentages ending at 100",
                        at: node.location,
                        hint: "for example steps: [10, 50, 100]"
                    )
                } else {
                    strategy.steps = steps
                }
            }
        }
        if let node = fields["observe"], let value = duration(node, fields.path("observe"), atLeast: .seconds(1)) {
            strategy.observe = value
        }
        if let node = fields["probe"] { strategy.probe = healthCheck(node, fields.path("probe")) }
        if let entry = fields.byKey["analysis"], strategy.kind == .canary {
            if runtime == .ecs {
                error(
                    "\(fields.path("analysis")) applies to runtime docker only",
                    at: entry.keyLocation,
                    hint: "on ECS, watch the canary with the target group's health checks and CloudWatch alarms")
            } else {
                strategy.analysis = canaryAnalysis(entry.value, fields.path("analysis"), observe: strategy.observe)
            }
        }
        if runtime == .ecs, strategy.kind != .rolling, !fields.has("targetGroupArn"), fields.has("type") {
            error(
                "\(path) is a \(strategy.kind.rawValue) rollout on ECS but has no targetGroupArn",
                at: node.location,
                hint: "name the target group that carries the service's traffic"
            )
        }
        return strategy
    }

    /// `strategy.analysis`: a query template with known placeholders, `max` and/or `min`, an interval.
    mutating func canaryAnalysis(_ node: ManifestNode, _ path: String, observe: Duration) -> CanaryAnalysis? {
        guard let fields = fields(node, path, allowed: ManifestKeys.canaryAnalysis) else { return nil }
        let errorsBefore = errorCount
        let known = CanaryAnalysis.Placeholder.allCases.map { "{{\($0.rawValue)}}" }.joined(separator: ", ")
        var query: String?
        if let queryNode = fields["query"], let text = string(queryNode, fields.path("query")) {
            if text.allSatisfy(\.isWhitespace) {
                error(
                    "\(fields.path("query")) is empty", at: queryNode.location,
                    hint: "write a PromQL query that returns one number, e.g. sum(rate(http_errors_total{service=\"{{service}}\"}[1m]))")
            } else {
                for problem in CanaryAnalysis.problems(inTemplate: text) {
                    switch problem {
                    case .unknownPlaceholder(let name):
                        error(
                            "\(fields.path("query")) has an unknown placeholder '{{\(name)}}'", at: queryNode.location,
                            hint: Self.nearMatch(for: name, among: CanaryAnalysis.Placeholder.allCases.map(\.rawValue))
                                .map { "did you mean '{{\($0)}}'?" } ?? "placeholders: \(known)")
                    case .unclosed:
                        error("\(fields.path("query")) has a '{{' without a closing '}}'", at: queryNode.location, hint: "placeholders: \(known)")
                    }
                }
                query = text
            }
        } else if !fields.has("query") {
            error("\(path) needs a query", at: node.location, hint: "add query: a PromQL query that returns one number")
        }
        var max: Double?
        if let maxNode = fields["max"] { max = number(maxNode, fields.path("max")) }
        var min: Double?
        if let minNode = fields["min"] { min = number(minNode, fields.path("min")) }
        if !fields.has("max") && !fields.has("min") {
            error("\(path) needs max, min or both", at: node.location, hint: "for example max: 0.05 (the canary fails above it)")
        }
        if let max, let min, min > max {
            error("\(fields.path("min")) \(min) is above \(fields.path("max")) \(max)", at: fields.byKey["min"]!.keyLocation, hint: "no value could pass")
        }
        var interval = Duration.seconds(15)
        if let intervalNode = fields["interval"], let value = duration(intervalNode, fields.path("interval"), atLeast: .seconds(1)) {
            interval = value
            if value > observe {
                warning(
                    "\(fields.path("interval")) \(DurationSyntax.format(value)) is longer than observe \(DurationSyntax.format(observe)); the query runs once, at the end",
                    at: intervalNode.location)
            }
        }
        guard errorCount == errorsBefore, let query else { return nil }
        return CanaryAnalysis(query: query, max: max, min: min, interval: interval)
    }

    mutating func resources(_ node: ManifestNode, _ path: String) -> ResourceLimits? {
        guard let fields = fields(node, path, allowed: ManifestKeys.resources) else { return nil }
        var limits = ResourceLimits()
        if let node = fields["memory"], let text = scalarText(node, fields.path("memory")) {
            if let bytes = MemorySyntax.parse(text), bytes >= 6 << 20 {
                limits.memoryBytes = bytes
            } else {
                error(
                    "\(fields.path("memory")) '\(text)' is not a memory size of at least 6 MiB",
                    at: node.location,
                    hint: "write a number with a unit: 512m, 1g, 256Mi, 2Gi"
                )
            }
        }
        if let node = fields["cpus"] {
            if case .scalar(let scalar) = node.content, let value = Double(scalar.text), value.isFinite, value > 0, value <= 1024 {
                limits.cpus = value
            } else {
                error("\(fields.path("cpus")) must be a number of cores above 0, such as 0.5 or 2", at: node.location)
            }
        }
        return limits
    }

    mutating func restartPolicy(_ node: ManifestNode, _ path: String) -> RestartPolicy? {
        let names = ["never", "always", "unlessStopped", "onFailure"]
        func named(_ text: String, _ at: ManifestNode, maxRetries: Int?) -> RestartPolicy? {
            switch text {
            case "never": return .never
            case "always": return .always
            case "unlessStopped": return .unlessStopped
            case "onFailure": return .onFailure(maxRetries: maxRetries)
            default:
                error(
                    "\(path) '\(text)' is not one of: \(names.joined(separator: ", "))",
                    at: at.location,
                    hint: Self.nearMatch(for: text, among: names).map { "did you mean '\($0)'?" }
                )
                return nil
            }
        }
        if case .scalar = node.content {
            guard let text = string(node, path) else { return nil }
            return named(text, node, maxRetries: nil)
        }
        guard let fields = fields(node, path, allowed: ManifestKeys.restart) else { return nil }
        guard let policyNode = fields["policy"] else {
            error("\(path) needs a policy", at: node.location, hint: "for example restart: { policy: onFailure, maxRetries: 5 }")
            return nil
        }
        var maxRetries: Int?
        if let retriesNode = fields["maxRetries"] {
            maxRetries = int(retriesNode, fields.path("maxRetries"), in: 1...1000)
        }
        guard let text = string(policyNode, fields.path("policy")) else { return nil }
        if maxRetries != nil, text != "onFailure" {
            error("\(fields.path("maxRetries")) applies to policy onFailure only", at: fields.byKey["maxRetries"]!.keyLocation)
        }
        return named(text, policyNode, maxRetries: maxRetries)
    }

    mutating func logOptions(_ node: ManifestNode, _ path: String) -> LogOptions? {
        guard let fields = fields(node, path, allowed: ManifestKeys.logging) else { return nil }
        guard let driverNode = fields["driver"] else {
            error("\(path) needs a driver", at: node.location, hint: "for example logging: { driver: json-file, options: { max-size: 10m } }")
            return nil
        }
        guard let driver = string(driverNode, fields.path("driver")) else { return nil }
        guard !driver.isEmpty, driver.utf8.allSatisfy({ $0.isASCIIAlphanumeric || "-_./".utf8.contains($0) }) else {
            error("\(fields.path("driver")) '\(driver)' is not a log driver name", at: driverNode.location)
            return nil
        }
        var options: [String: String] = [:]
        if let optionsNode = fields["options"], let map = stringMap(optionsNode, fields.path("options")) { options = map }
        return LogOptions(driver: driver, options: options)
    }

    mutating func volumeMount(_ node: ManifestNode, _ path: String) -> VolumeMount? {
        guard let text = string(node, path) else { return nil }
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var readOnly = false
        if parts.count == 3 {
            guard parts[2] == "ro" || parts[2] == "rw" else {
                error("\(path) mode '\(parts[2])' must be ro or rw", at: node.location)
                return nil
            }
            readOnly = parts[2] == "ro"
            parts.removeLast()
        }
        guard parts.count == 2, parts[1].hasPrefix("/"), !parts[0].isEmpty else {
            error(
                "\(path) '\(text)' is not a volume mount",
                at: node.location,
                hint: "write name:/path/in/container[:ro] or /host/path:/path/in/container[:ro]"
            )
            return nil
        }
        let source: VolumeMount.Source
        if parts[0].hasPrefix("/") {
            source = .hostPath(parts[0])
        } else {
            let bytes = Array(parts[0].utf8)
            guard bytes.first!.isASCIIAlphanumeric, bytes.allSatisfy({ $0.isASCIIAlphanumeric || "_.-".utf8.contains($0) }) else {
                error(
                    "\(path) volume name '\(parts[0])' is invalid",
                    at: node.location,
                    hint: "named volumes use letters, digits, '_', '.', '-'; host paths start with '/'"
                )
                return nil
            }
            source = .named(parts[0])
        }
        return VolumeMount(source: source, target: parts[1], readOnly: readOnly)
    }

    mutating func networkMode(_ node: ManifestNode, _ path: String, runtime: Service.Runtime?) -> NetworkMode? {
        guard let text = string(node, path) else { return nil }
        let mode: NetworkMode = switch text {
        case "bridge": .bridge
        case "host": .host
        case "none": .none
        case "awsvpc": .awsvpc
        default: .named(text)
        }
        switch (runtime, mode) {
        case (.ecs, .none), (.ecs, .named):
            error("\(path) '\(text)' is not an ECS network mode", at: node.location, hint: "ECS supports awsvpc, bridge and host")
            return nil
        case (.docker, .awsvpc):
            error("\(path) awsvpc applies to runtime ecs only", at: node.location, hint: "Docker supports bridge, host, none or a network name")
            return nil
        case (_, .named(let name)):
            let bytes = Array(name.utf8)
            guard let first = bytes.first, first.isASCIIAlphanumeric, bytes.allSatisfy({ $0.isASCIIAlphanumeric || "_.-".utf8.contains($0) }) else {
                error("\(path) '\(text)' is not a network name", at: node.location)
                return nil
            }
            return mode
        default:
            return mode
        }
    }

    mutating func ecsPlacement(_ node: ManifestNode, _ path: String) -> ECSPlacement? {
        guard let fields = fields(node, path, allowed: ManifestKeys.ecs) else { return nil }
        guard let clusterNode = fields["cluster"] else {
            error("\(path) needs a cluster", at: node.location, hint: "add cluster: NAME")
            return nil
        }
        guard let cluster = string(clusterNode, fields.path("cluster")) else { return nil }
        guard (1...255).contains(cluster.count), cluster.utf8.allSatisfy({ $0.isASCIIAlphanumeric || "_-".utf8.contains($0) }) else {
            error("\(fields.path("cluster")) '\(cluster)' is not an ECS cluster name", at: clusterNode.location, hint: "letters, digits, '_' and '-'")
            return nil
        }
        var placement = ECSPlacement(cluster: cluster)
        if let node = fields["launchType"], let value = choice(node, fields.path("launchType"), as: ECSPlacement.LaunchType.self) {
            placement.launchType = value
        }
        if let node = fields["subnets"], let items = list(node, fields.path("subnets")) {
            for (index, item) in items.enumerated() {
                if let id = awsID(item, "\(fields.path("subnets"))[\(index)]", prefix: "subnet") { placement.subnets.append(id) }
            }
        }
        if let node = fields["securityGroups"] {
            placement.securityGroups = groupReferences(node, fields.path("securityGroups"))
        }
        if let node = fields["assignPublicIp"], let value = bool(node, fields.path("assignPublicIp")) {
            placement.assignPublicIp = value
        }
        return placement
    }
}

extension ManifestNode {
    func sequenceItem(_ index: Int) -> ManifestNode? {
        if case .sequence(let items) = content, items.indices.contains(index) { return items[index] }
        return nil
    }
}

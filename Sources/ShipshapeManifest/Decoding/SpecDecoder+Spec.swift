extension SpecDecoder {
    /// Decodes a merged `spec:` node, then runs the checks that span resources.
    mutating func environmentSpec(_ node: ManifestNode?, at location: ManifestLocation) -> EnvironmentSpec {
        var spec = EnvironmentSpec()
        guard let node else { return spec }
        guard let fields = fields(node, "spec", allowed: ManifestKeys.spec) else { return spec }
        if let region = fields["region"], let value = string(region, "spec.region") {
            if NameSyntax.isAWSRegion(value) {
                spec.region = value
            } else {
                error("region '\(value)' is not an AWS region name", at: region.location, hint: "for example us-east-1 or ap-northeast-2")
            }
        }
        // Names that other resources may refer to are known before anything is decoded, so a
        // reference to a group that is itself invalid is not reported twice.
        if let groups = fields["securityGroups"], let entries = groups.entries {
            knownGroups = Set(entries.map(\.key))
        }
        if let secrets = fields["secrets"] {
            secretNames = Set(secrets.entries?.map(\.key) ?? [])
            for entry in namedEntries(secrets, "secrets") {
                guard NameSyntax.isResourceName(entry.key) else {
                    error("secret name '\(entry.key)' is invalid", at: entry.keyLocation, hint: Self.nameHint)
                    continue
                }
                if let text = string(entry.value, "secrets.\(entry.key)"),
                    let reference = secretReference(text, entry.value, "secrets.\(entry.key)")
                {
                    declaredSecrets[entry.key] = reference
                }
            }
            spec.secrets = declaredSecrets
        }
        if let groups = fields["securityGroups"] {
            for entry in namedEntries(groups, "securityGroups") where checkName(entry, kind: "security group") {
                if let group = securityGroup(named: entry.key, entry.value) { spec.securityGroups[entry.key] = group }
            }
        }
        if let services = fields["services"] {
            for entry in namedEntries(services, "services") where checkName(entry, kind: "service") {
                if let service = service(named: entry.key, entry.value) { spec.services[entry.key] = service }
            }
        }
        if let instances = fields["instances"] {
            for entry in namedEntries(instances, "instances") where checkName(entry, kind: "instance") {
                if let instance = instance(named: entry.key, entry.value) { spec.instances[entry.key] = instance }
            }
        }
        if let databases = fields["databases"] {
            for entry in namedEntries(databases, "databases") {
                if let database = database(named: entry.key, entry.value, keyLocation: entry.keyLocation) {
                    spec.databases[entry.key] = database
                }
            }
        }
        if let policy = fields["policy"] { spec.policy = self.policy(policy) }
        if let alerts = fields["alerts"] { spec.alerts = self.alerts(alerts) }

        let needsRegion = !spec.instances.isEmpty || !spec.databases.isEmpty || !spec.securityGroups.isEmpty
            || spec.services.values.contains { $0.runtime == .ecs }
        if needsRegion, spec.region == nil, !fields.has("region") {
            error("spec has AWS resources but no region", at: node.location, hint: "add region: us-east-1 (or your region)")
        }
        checkHostPorts(fields)
        checkAdoptions(fields, spec)
        return spec
    }

    static let nameHint = "use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit"

    private mutating func checkName(_ entry: ManifestNode.Entry, kind: String) -> Bool {
        guard NameSyntax.isResourceName(entry.key) else {
            error("\(kind) name '\(entry.key)' is invalid", at: entry.keyLocation, hint: Self.nameHint)
            return false
        }
        return true
    }

    /// Two docker services that publish the same host port (on the same or on every address)
    /// cannot both run on this host. A service with `replicas: N` publishes replica `i` on
    /// `hostPort + i`, so it occupies N consecutive host ports.
    private mutating func checkHostPorts(_ fields: Fields) {
        guard let services = fields["services"]?.entries else { return }
        struct PortKey: Hashable {
            var port: Int
            var transport: PortMapping.TransportProtocol
        }
        var bound: [PortKey: [(hostIP: String?, owner: String)]] = [:]
        for entry in services {
            guard let serviceFields = entry.value.entries,
                let runtime = serviceFields.first(where: { $0.key == "runtime" })?.value,
                case .scalar(let runtimeScalar) = runtime.content, runtimeScalar.text == "docker",
                let ports = serviceFields.first(where: { $0.key == "ports" })?.value, case .sequence(let items) = ports.content
            else { continue }
            var replicas = 1
            if let value = serviceFields.first(where: { $0.key == "replicas" })?.value,
                case .scalar(let scalar) = value.content, let count = Int(scalar.text), (1...1000).contains(count)
            {
                replicas = count
            }
            for item in items {
                guard case .scalar(let scalar) = item.content, case .success(let mapping) = PortSyntax.parse(scalar.text) else { continue }
                for port in mapping.hostPort..<min(mapping.hostPort + replicas, 65536) {
                    let key = PortKey(port: port, transport: mapping.protocol)
                    let clash = bound[key]?.first { other in
                        other.owner != entry.key && (other.hostIP == nil || mapping.hostIP == nil || other.hostIP == mapping.hostIP)
                    }
                    if let clash {
                        error(
                            "services.\(entry.key) publishes host port \(port)/\(mapping.protocol.rawValue), which services.\(clash.owner) already publishes",
                            at: item.location,
                            hint: replicas > 1
                                ? "replica i publishes on hostPort + i: leave \(replicas) free host ports from \(mapping.hostPort)"
                                : "give each service its own host port"
                        )
                        break
                    }
                    bound[key, default: []].append((mapping.hostIP, entry.key))
                }
            }
        }
    }

    /// Two resources of one kind cannot adopt the same existing resource.
    private mutating func checkAdoptions(_ fields: Fields, _ spec: EnvironmentSpec) {
        func check(_ kind: String, _ adoptions: [(String, Adoption?)]) {
            var seen: [Adoption: String] = [:]
            for (name, adoption) in adoptions.sorted(by: { $0.0 < $1.0 }) {
                guard let adoption else { continue }
                if let first = seen[adoption] {
                    let location = fields[kind]?.entries?.first(where: { $0.key == name })?.keyLocation ?? fields.node.location
                    error("\(kind).\(name) adopts the same resource as \(kind).\(first)", at: location, hint: "each resource can be adopted once")
                } else {
                    seen[adoption] = name
                }
            }
        }
        check("instances", spec.instances.map { ($0.key, $0.value.adopt) })
        check("databases", spec.databases.map { ($0.key, $0.value.adopt) })
        check("securityGroups", spec.securityGroups.map { ($0.key, $0.value.adopt) })
    }

    mutating func policy(_ node: ManifestNode) -> Policy {
        var policy = Policy()
        guard let fields = fields(node, "policy", allowed: ManifestKeys.policy) else { return policy }
        if let node = fields["prune"], let value = bool(node, "policy.prune") { policy.prune = value }
        if let node = fields["selfHeal"], let value = bool(node, "policy.selfHeal") { policy.selfHeal = value }
        if let node = fields["detectOnly"], let items = list(node, "policy.detectOnly") {
            for (index, item) in items.enumerated() {
                if let kind = choice(item, "policy.detectOnly[\(index)]", as: ResourceSection.self) { policy.detectOnly.insert(kind) }
            }
        }
        if let node = fields["maxChanges"], let value = int(node, "policy.maxChanges", in: 1...100_000) {
            policy.maxChanges = value
        }
        if let node = fields["approval"], let value = choice(node, "policy.approval", as: ApprovalMode.self) {
            policy.approval = value
        }
        if let node = fields["maintenanceWindow"],
            let windowFields = self.fields(node, "policy.maintenanceWindow", allowed: ManifestKeys.maintenanceWindow)
        {
            let schedule = required(windowFields, "schedule", hint: "for example schedule: \"0 2 * * sun\"").flatMap { node -> CronSchedule? in
                guard let text = string(node, "policy.maintenanceWindow.schedule") else { return nil }
                switch CronSchedule.parse(text) {
                case .success(let schedule):
                    return schedule
                case .failure(let problem):
                    error(
                        "policy.maintenanceWindow.schedule '\(text)' is not a cron expression: \(problem.reason)",
                        at: node.location,
                        hint: "minute hour day-of-month month day-of-week, in UTC, such as \"0 2 * * sun\""
                    )
                    return nil
                }
            }
            let duration = required(windowFields, "duration", hint: "for example duration: 2h").flatMap {
                self.duration($0, "policy.maintenanceWindow.duration", atLeast: .seconds(60))
            }
            if let schedule, let duration {
                policy.maintenanceWindow = MaintenanceSchedule(schedule: schedule, duration: duration)
            }
        }
        return policy
    }

    mutating func alerts(_ node: ManifestNode) -> [AlertRoute] {
        guard let fields = fields(node, "alerts", allowed: ManifestKeys.alerts) else { return [] }
        guard let routesNode = fields["routes"], let items = list(routesNode, "alerts.routes") else { return [] }
        var routes: [AlertRoute] = []
        for (index, item) in items.enumerated() {
            let path = "alerts.routes[\(index)]"
            guard let routeFields = self.fields(item, path, allowed: ManifestKeys.alertRoute) else { continue }
            guard let sinkNode = required(routeFields, "sink", hint: "name a sink of the controller's config: sink: ops"),
                let sink = string(sinkNode, routeFields.path("sink"))
            else { continue }
            guard NameSyntax.isResourceName(sink) else {
                error("\(routeFields.path("sink")) '\(sink)' is not a sink name", at: sinkNode.location, hint: Self.nameHint)
                continue
            }
            var route = AlertRoute(sink: sink)
            if let eventsNode = routeFields["events"], let events = list(eventsNode, routeFields.path("events")) {
                for (eventIndex, event) in events.enumerated() {
                    if let value = choice(event, "\(routeFields.path("events"))[\(eventIndex)]", as: AlertEvent.self) {
                        route.events.insert(value)
                    }
                }
            }
            if let severityNode = routeFields["minSeverity"],
                let value = choice(severityNode, routeFields.path("minSeverity"), as: AlertSeverity.self)
            {
                route.minSeverity = value
            }
            routes.append(route)
        }
        return routes
    }
}

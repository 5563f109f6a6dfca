extension SpecDecoder {
    /// Decodes one entry of `instances:`.
    mutating func instance(named name: String, _ node: ManifestNode) -> Instance? {
        let path = "instances.\(name)"
        guard let fields = fields(node, path, allowed: ManifestKeys.instance) else { return nil }
        let errorsBefore = errorCount
        let type = required(fields, "type", hint: "for example type: t3.small").flatMap { node -> String? in
            guard let text = string(node, fields.path("type")) else { return nil }
            guard ResourceClassSyntax.isInstanceType(text) else {
                error(
                    "\(fields.path("type")) '\(text)' is not an EC2 instance type",
                    at: node.location,
                    hint: "write family.size, such as t3.small, m6g.2xlarge or c5.metal"
                )
                return nil
            }
            return text
        }
        let ami = required(fields, "ami", hint: "for example ami: ami-0123456789abcdef0").flatMap { awsID($0, fields.path("ami"), prefix: "ami") }
        let subnet = required(fields, "subnet", hint: "for example subnet: subnet-0123456789abcdef0").flatMap {
            awsID($0, fields.path("subnet"), prefix: "subnet")
        }
        var groups: [String] = []
        if let node = fields["securityGroups"] { groups = groupReferences(node, fields.path("securityGroups")) }
        var tags: [String: String] = [:]
        if let node = fields["tags"] { tags = resourceTags(node, fields.path("tags")) }
        var adoption: Adoption?
        if let node = fields["adopt"] { adoption = adopt(node, fields.path("adopt"), idPrefix: "i", allowTag: true) }
        guard errorCount == errorsBefore, let type, let ami, let subnet else { return nil }
        return Instance(name: name, type: type, ami: ami, subnet: subnet, securityGroups: groups, tags: tags, adopt: adoption)
    }

    /// Decodes one entry of `databases:`.
    mutating func database(named name: String, _ node: ManifestNode, keyLocation: ManifestLocation) -> Database? {
        let path = "databases.\(name)"
        guard let fields = fields(node, path, allowed: ManifestKeys.database) else { return nil }
        let errorsBefore = errorCount
        if !ResourceClassSyntax.isDBIdentifier(name) {
            error(
                "database name '\(name)' is not a valid RDS identifier",
                at: keyLocation,
                hint: "1-63 letters, digits and '-', starting with a letter, no '--', not ending with '-'"
            )
        }
        let instanceClass = required(fields, "class", hint: "for example class: db.t3.micro").flatMap { node -> String? in
            guard let text = string(node, fields.path("class")) else { return nil }
            guard ResourceClassSyntax.isDBInstanceClass(text) else {
                error(
                    "\(fields.path("class")) '\(text)' is not an RDS instance class",
                    at: node.location,
                    hint: "write db.family.size, such as db.t3.micro or db.r6g.2xlarge"
                )
                return nil
            }
            return text
        }
        let engine = required(fields, "engine", hint: "for example engine: postgres").flatMap {
            choice($0, fields.path("engine"), as: Database.Engine.self)
        }
        var database = Database(name: name, instanceClass: instanceClass ?? "", engine: engine ?? .postgres)
        if let node = fields["engineVersion"], let text = string(node, fields.path("engineVersion")) {
            if !text.isEmpty, text.count <= 32, text.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) {
                database.engineVersion = text
            } else {
                error("\(fields.path("engineVersion")) '\(text)' is not an engine version", at: node.location, hint: "for example \"15.4\"")
            }
        }
        if let node = fields["storage"], let value = int(node, fields.path("storage") + " (GiB)", in: 20...65536) {
            database.storageGiB = value
        }
        if let node = fields["applyImmediately"], let value = bool(node, fields.path("applyImmediately")) {
            database.applyImmediately = value
        }
        if let node = fields["multiAZ"], let value = bool(node, fields.path("multiAZ")) { database.multiAZ = value }
        if let node = fields["maintenanceWindow"], let text = string(node, fields.path("maintenanceWindow")) {
            if let window = WeeklyWindow(parsing: text) {
                if window.duration < .seconds(1800) {
                    error(
                        "\(fields.path("maintenanceWindow")) '\(text)' is shorter than the 30 minutes RDS requires",
                        at: node.location
                    )
                } else {
                    database.maintenanceWindow = window
                }
            } else {
                error(
                    "\(fields.path("maintenanceWindow")) '\(text)' is not a weekly window",
                    at: node.location,
                    hint: "write ddd:hh:mm-ddd:hh:mm in UTC, such as sun:03:00-sun:04:00"
                )
            }
        }
        if let node = fields["securityGroups"] { database.securityGroups = groupReferences(node, fields.path("securityGroups")) }
        if let node = fields["masterUsername"], let text = string(node, fields.path("masterUsername")) {
            let bytes = Array(text.utf8)
            if (1...63).contains(bytes.count), bytes[0].isASCIIAlphanumeric, !bytes[0].isASCIIDigit,
                bytes.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") })
            {
                database.masterUsername = text
            } else {
                error(
                    "\(fields.path("masterUsername")) '\(text)' is not a valid master user name",
                    at: node.location,
                    hint: "1-63 letters, digits and '_', starting with a letter"
                )
            }
        }
        if let node = fields["masterPassword"] {
            database.masterPassword = serviceSecret(node, fields.path("masterPassword"))
        }
        if let node = fields["adopt"] { database.adopt = adopt(node, fields.path("adopt"), idPrefix: nil, allowTag: false) }
        if database.adopt == nil, !fields.has("adopt"), fields.has("masterUsername") != fields.has("masterPassword") {
            error(
                "\(path) needs both masterUsername and masterPassword to create the database",
                at: node.location,
                hint: "set both, or adopt an existing database with adopt: { id: IDENTIFIER }"
            )
        }
        guard errorCount == errorsBefore, instanceClass != nil, engine != nil else { return nil }
        return database
    }

    /// Decodes one entry of `securityGroups:`.
    mutating func securityGroup(named name: String, _ node: ManifestNode) -> SecurityGroup? {
        let path = "securityGroups.\(name)"
        guard let fields = fields(node, path, allowed: ManifestKeys.securityGroup) else { return nil }
        let errorsBefore = errorCount
        let vpc = required(fields, "vpc", hint: "for example vpc: vpc-0123456789abcdef0").flatMap { awsID($0, fields.path("vpc"), prefix: "vpc") }
        var description = "managed by shipshape"
        if let node = fields["description"], let text = string(node, fields.path("description")) {
            if let problem = AWSTextSyntax.descriptionProblem(text) {
                error("\(fields.path("description")) \(problem)", at: node.location)
            } else {
                description = text
            }
        }
        let ingress = fields["ingress"].map { rules($0, fields.path("ingress")) } ?? []
        let egress = fields["egress"].map { rules($0, fields.path("egress")) }
        var tags: [String: String] = [:]
        if let node = fields["tags"] { tags = resourceTags(node, fields.path("tags")) }
        var adoption: Adoption?
        if let node = fields["adopt"] { adoption = adopt(node, fields.path("adopt"), idPrefix: "sg", allowTag: false) }
        guard errorCount == errorsBefore, let vpc else { return nil }
        return SecurityGroup(name: name, vpc: vpc, description: description, ingress: ingress, egress: egress, tags: tags, adopt: adoption)
    }

    mutating func rules(_ node: ManifestNode, _ path: String) -> [SecurityGroupRule] {
        guard let items = list(node, path) else { return [] }
        var result: [SecurityGroupRule] = []
        var seen: [SecurityGroupRule: Int] = [:]
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let rule = rule(item, itemPath) else { continue }
            var identity = rule
            identity.description = nil
            if let first = seen[identity] {
                error("\(itemPath) repeats \(path)[\(first)]", at: item.location, hint: "remove the duplicate rule")
                continue
            }
            seen[identity] = index
            result.append(rule)
        }
        return result
    }

    mutating func rule(_ node: ManifestNode, _ path: String) -> SecurityGroupRule? {
        guard let fields = fields(node, path, allowed: ManifestKeys.rule) else { return nil }
        let errorsBefore = errorCount
        guard let protocolNode = fields["protocol"] else {
            error("\(path) has no protocol", at: node.location, hint: "add protocol: tcp, udp, icmp or all")
            return nil
        }
        let ipProtocol = choice(protocolNode, fields.path("protocol"), as: SecurityGroupRule.IPProtocol.self)
        var ports: ClosedRange<Int>?
        if let portsNode = fields["ports"] {
            if ipProtocol == .icmp || ipProtocol == .all {
                error(
                    "\(fields.path("ports")) does not apply to protocol \(ipProtocol!.rawValue)",
                    at: portsNode.location,
                    hint: "\(ipProtocol!.rawValue) rules cover every port; remove ports"
                )
            } else if let text = scalarText(portsNode, fields.path("ports")) {
                ports = PortRangeSyntax.parse(text)
                if ports == nil {
                    error(
                        "\(fields.path("ports")) '\(text)' is not a port or port range",
                        at: portsNode.location,
                        hint: "write a port (443) or a range (\"8000-8100\"), ports 1-65535"
                    )
                }
            }
        } else if ipProtocol == .tcp || ipProtocol == .udp {
            error("\(path) needs ports for protocol \(ipProtocol!.rawValue)", at: node.location, hint: "add ports: 443 or ports: \"8000-8100\"")
        }
        /// The block in field `key` when it is a valid CIDR of its family; an error naming the field otherwise.
        func cidr(_ key: String, version6: Bool, example: String) -> String? {
            guard let node = fields[key], let text = string(node, fields.path(key)) else { return nil }
            if let problem = IPAddress.cidrProblem(text, version6: version6) {
                error(
                    "invalid CIDR in \(fields.path(key)): \(problem.reason)",
                    at: node.location,
                    hint: problem.suggestion.map { "did you mean \($0)?" } ?? "write \(example)"
                )
                return nil
            }
            return text
        }
        let peers = ["cidr", "cidrIPv6", "group"].filter { fields.has($0) }
        var peer: SecurityGroupRule.Peer?
        if peers.count != 1 {
            error(
                "\(path) needs exactly one of cidr, cidrIPv6 or group\(peers.isEmpty ? "" : ", found \(peers.joined(separator: " and "))")",
                at: node.location
            )
        } else if fields["cidr"] != nil {
            peer = cidr("cidr", version6: false, example: "an IPv4 block such as 10.0.0.0/16; IPv6 goes in cidrIPv6").map { .cidr($0) }
        } else if fields["cidrIPv6"] != nil {
            peer = cidr("cidrIPv6", version6: true, example: "an IPv6 block such as 2001:db8::/32").map { .cidrIPv6($0) }
        } else if let groupNode = fields["group"], let name = groupReference(groupNode, fields.path("group")) {
            peer = .group(name)
        }
        var description: String?
        if let node = fields["description"], let text = string(node, fields.path("description")) {
            if let problem = AWSTextSyntax.descriptionProblem(text) {
                error("\(fields.path("description")) \(problem)", at: node.location)
            } else {
                description = text
            }
        }
        guard errorCount == errorsBefore, let ipProtocol, let peer else { return nil }
        return SecurityGroupRule(protocol: ipProtocol, ports: ports, peer: peer, description: description)
    }

    // MARK: Shared pieces

    /// The value of a required key, or nil after reporting it missing.
    mutating func required(_ fields: Fields, _ key: String, hint: String) -> ManifestNode? {
        guard let node = fields[key] else {
            error("\(fields.path) has no \(key)", at: fields.node.location, hint: hint)
            return nil
        }
        return node
    }

    /// An AWS resource id: `prefix-` followed by 8 or 17 lowercase hex digits.
    mutating func awsID(_ node: ManifestNode, _ path: String, prefix: String) -> String? {
        guard let text = string(node, path) else { return nil }
        guard AWSIDSyntax.isID(text, prefix: prefix) else {
            error(
                "\(path) '\(text)' is not a valid \(AWSIDSyntax.kindName(prefix)) id",
                at: node.location,
                hint: "AWS ids look like \(prefix)-0123456789abcdef0 (8 or 17 hex digits)"
            )
            return nil
        }
        return text
    }

    /// A list of security group names, each checked against `securityGroups:` of the environment.
    mutating func groupReferences(_ node: ManifestNode, _ path: String) -> [String] {
        guard let items = list(node, path) else { return [] }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let name = groupReference(item, "\(path)[\(index)]") else { continue }
            if result.contains(name) {
                error("\(path)[\(index)] repeats '\(name)'", at: item.location, hint: "remove the duplicate")
                continue
            }
            result.append(name)
        }
        return result
    }

    mutating func groupReference(_ node: ManifestNode, _ path: String) -> String? {
        guard let name = string(node, path) else { return nil }
        guard knownGroups.contains(name) else {
            let known = knownGroups.sorted()
            error(
                "\(path) refers to security group '\(name)', which this environment does not define",
                at: node.location,
                hint: known.isEmpty
                    ? "define it under securityGroups:"
                    : Self.nearMatch(for: name, among: known).map { "did you mean '\($0)'?" }
                        ?? "defined security groups: \(known.joined(separator: ", "))"
            )
            return nil
        }
        return name
    }

    /// AWS tags: keys 1–128 characters and not starting with `aws:` or `shipshape.io/`, values up to 256.
    mutating func resourceTags(_ node: ManifestNode, _ path: String) -> [String: String] {
        guard let map = stringMap(node, path) else { return [:] }
        var result: [String: String] = [:]
        for entry in node.entries ?? [] {
            guard let value = map[entry.key] else { continue }
            if entry.key.isEmpty || entry.key.count > 128 || entry.key.lowercased().hasPrefix("aws:") {
                error("tag key '\(entry.key)' in \(path) is not allowed", at: entry.keyLocation, hint: "1-128 characters, not starting with aws:")
            } else if entry.key.hasPrefix("shipshape.io/") {
                error(
                    "tag key '\(entry.key)' in \(path) is reserved for the controller's ownership tags",
                    at: entry.keyLocation,
                    hint: "choose another key"
                )
            } else if value.count > 256 {
                error("tag '\(entry.key)' in \(path) is longer than 256 characters", at: entry.value.location)
            } else {
                result[entry.key] = value
            }
        }
        return result
    }

    /// `adopt: { id: … }` or (where allowed) `adopt: { tag: "Key=Value" }`.
    mutating func adopt(_ node: ManifestNode, _ path: String, idPrefix: String?, allowTag: Bool) -> Adoption? {
        guard let fields = fields(node, path, allowed: ManifestKeys.adopt) else { return nil }
        switch (fields["id"], fields["tag"]) {
        case (let idNode?, nil):
            guard let id = string(idNode, fields.path("id")) else { return nil }
            if let idPrefix {
                guard AWSIDSyntax.isID(id, prefix: idPrefix) else {
                    error(
                        "\(fields.path("id")) '\(id)' is not a valid \(AWSIDSyntax.kindName(idPrefix)) id",
                        at: idNode.location,
                        hint: "AWS ids look like \(idPrefix)-0123456789abcdef0"
                    )
                    return nil
                }
            } else if !ResourceClassSyntax.isDBIdentifier(id) {
                error("\(fields.path("id")) '\(id)' is not an RDS DB instance identifier", at: idNode.location)
                return nil
            }
            return .id(id)
        case (nil, let tagNode?):
            guard allowTag else {
                error("\(fields.path("tag")) is not supported here; adopt by id", at: fields.byKey["tag"]!.keyLocation)
                return nil
            }
            guard let text = string(tagNode, fields.path("tag")) else { return nil }
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 128 else {
                error("\(fields.path("tag")) '\(text)' must be Key=Value", at: tagNode.location, hint: "for example tag: Name=legacy-app")
                return nil
            }
            return .tag(key: String(parts[0]), value: String(parts[1]))
        default:
            error(
                "\(path) needs exactly one of \(allowTag ? "id or tag" : "id")",
                at: node.location,
                hint: allowTag ? "adopt: { id: i-0123456789abcdef0 } or adopt: { tag: Name=legacy-app }" : "adopt: { id: … }"
            )
            return nil
        }
    }
}

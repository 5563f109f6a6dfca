extension SpecDecoder {
    /// Decodes one entry of `services:`. Nil when a required part is missing or invalid (reported).
    mutating func service(named name: String, _ node: ManifestNode) -> Service? {
        let path = "services.\(name)"
        guard let fields = fields(node, path, allowed: ManifestKeys.service) else { return nil }
        var valid = true

        var runtime: Service.Runtime?
        if let node = fields["runtime"] {
            runtime = choice(node, fields.path("runtime"), as: Service.Runtime.self)
        } else {
            error("\(path) has no runtime", at: node.location, hint: "add runtime: docker (this host) or runtime: ecs")
        }
        let image = imageReference(fields, path: path)
        if image == nil { valid = false }

        var replicas = 1
        if let node = fields["replicas"] {
            if let value = int(node, fields.path("replicas"), in: 0...1000) { replicas = value } else { valid = false }
        }
        var ports: [PortMapping] = []
        if let node = fields["ports"] {
            if let items = list(node, fields.path("ports")) {
                for (index, item) in items.enumerated() {
                    if let mapping = portMapping(item, "\(fields.path("ports"))[\(index)]") {
                        ports.append(mapping)
                    } else {
                        valid = false
                    }
                }
            } else {
                valid = false
            }
        }
        var env: [String: String] = [:]
        if let node = fields["env"] {
            if let map = stringMap(node, fields.path("env")) {
                env = map
                if let entries = node.entries {
                    for entry in entries where !NameSyntax.isVariableName(entry.key) {
                        error(
                            "environment variable name '\(entry.key)' in \(fields.path("env")) is invalid",
                            at: entry.keyLocation,
                            hint: "use letters, digits and '_', not starting with a digit"
                        )
                        valid = false
                    }
                }
            } else {
                valid = false
            }
        }
        var command: [String]?
        if let node = fields["command"] {
            if let items = stringList(node, fields.path("command")) {
                if items.isEmpty {
                    error("\(fields.path("command")) is empty", at: node.location, hint: "remove it to use the image's command")
                    valid = false
                }
                command = items
            } else {
                valid = false
            }
        }
        var health: HealthCheck?
        if let node = fields["health"] {
            health = healthCheck(node, fields.path("health"))
            if health == nil { valid = false }
        }
        guard valid, let runtime, let image else { return nil }
        return Service(
            name: name,
            runtime: runtime,
            image: image,
            replicas: replicas,
            ports: ports,
            env: env,
            command: command,
            health: health
        )
    }

    /// `image:` with `tag:` or `digest:` (or either written inline). A missing tag or `latest` is a
    /// warning (an error when strict): the image would float.
    mutating func imageReference(_ fields: Fields, path: String) -> ImageReference? {
        guard let imageNode = fields["image"] else {
            error("\(path) has no image", at: fields.node.location, hint: "add image: registry/repository and tag: \"1.0.0\"")
            return nil
        }
        guard let text = string(imageNode, fields.path("image")) else { return nil }
        var reference: ImageReference
        do {
            reference = try ImageReference(parsing: text)
        } catch {
            self.error("invalid image reference in \(fields.path("image")): \(error.reason)", at: imageNode.location)
            return nil
        }
        var ok = true
        if let tagNode = fields["tag"], let tag = string(tagNode, fields.path("tag")) {
            if reference.tag != nil {
                error("\(path) gives a tag both in image and in tag", at: tagNode.location, hint: "keep only tag:")
                ok = false
            } else {
                do {
                    try ImageReference.validateTag(tag)
                    reference.tag = tag
                } catch {
                    self.error("invalid \(fields.path("tag")): \(error.reason)", at: tagNode.location)
                    ok = false
                }
            }
        } else if fields.has("tag") {
            ok = false
        }
        if let digestNode = fields["digest"], let digest = string(digestNode, fields.path("digest")) {
            if reference.digest != nil {
                error("\(path) gives a digest both in image and in digest", at: digestNode.location, hint: "keep only digest:")
                ok = false
            } else {
                do {
                    try ImageReference.validateDigest(digest)
                    reference.digest = digest
                } catch {
                    self.error("invalid \(fields.path("digest")): \(error.reason)", at: digestNode.location)
                    ok = false
                }
            }
        } else if fields.has("digest") {
            ok = false
        }
        guard ok else { return nil }
        if reference.digest == nil {
            if reference.tag == nil {
                risk(
                    "\(path) image '\(reference.name)' has no tag or digest, so it floats",
                    at: imageNode.location,
                    hint: "pin a version: tag: \"1.4.2\" or digest: sha256:…"
                )
            } else if reference.tag == "latest" {
                risk(
                    "\(path) uses the 'latest' tag, so the image floats",
                    at: (fields["tag"] ?? imageNode).location,
                    hint: "pin a version: tag: \"1.4.2\" or digest: sha256:…"
                )
            }
        }
        return reference
    }

    /// `"[hostIP:]hostPort:containerPort[/tcp|/udp]"` or an integer (same port on both sides).
    mutating func portMapping(_ node: ManifestNode, _ path: String) -> PortMapping? {
        guard let text = scalarText(node, path) else { return nil }
        switch PortSyntax.parse(text) {
        case .success(let mapping):
            return mapping
        case .failure(let problem):
            error("invalid port '\(text)' in \(path): \(problem.reason)", at: node.location, hint: problem.hint)
            return nil
        }
    }

    mutating func healthCheck(_ node: ManifestNode, _ path: String) -> HealthCheck? {
        guard let fields = fields(node, path, allowed: ManifestKeys.health) else { return nil }
        var check = HealthCheck()
        var valid = true
        if let node = fields["http"] {
            if let value = string(node, fields.path("http")), value.hasPrefix("/"), !value.contains(where: \.isWhitespace) {
                check.httpPath = value
            } else {
                if case .scalar = node.content, !node.isNull {
                    error("\(fields.path("http")) must be a path starting with '/'", at: node.location, hint: "for example http: /actuator/health")
                }
                valid = false
            }
        }
        if let node = fields["port"] {
            if let value = int(node, fields.path("port"), in: 1...65535) { check.port = value } else { valid = false }
        }
        if let node = fields["command"] {
            if let items = stringList(node, fields.path("command")), !items.isEmpty { check.command = items } else {
                if case .sequence(let items) = node.content, items.isEmpty {
                    error("\(fields.path("command")) is empty", at: node.location)
                }
                valid = false
            }
        }
        if check.httpPath != nil && check.command != nil {
            error("\(path) sets both http and command", at: node.location, hint: "choose one kind of probe")
            valid = false
        }
        if check.httpPath == nil && check.command == nil && valid {
            error("\(path) needs http or command", at: node.location, hint: "for example health: { http: /health, port: 8080 }")
            valid = false
        }
        if let node = fields["timeout"] {
            if let value = duration(node, fields.path("timeout"), atLeast: .seconds(1)) { check.timeout = value } else { valid = false }
        }
        if let node = fields["interval"] {
            if let value = duration(node, fields.path("interval"), atLeast: .milliseconds(100)) { check.interval = value } else {
                valid = false
            }
        }
        if let node = fields["retries"] {
            if let value = int(node, fields.path("retries"), in: 1...100) { check.retries = value } else { valid = false }
        }
        return valid ? check : nil
    }
}

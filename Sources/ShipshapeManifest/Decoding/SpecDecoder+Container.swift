extension SpecDecoder {
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

/// The kinds of manifest documents.
enum DocumentKind: String, CaseIterable {
    /// Shared defaults merged under every environment.
    case base = "Base"
    /// One environment (`metadata.name`).
    case environment = "Environment"
}

/// A document after its header (`apiVersion`, `kind`, `metadata`) was checked.
struct DocumentHeader {
    var kind: DocumentKind
    var name: String?
    var spec: ManifestNode?
    var location: SourceLocation
}

extension SpecDecoder {
    static let apiVersion = "shipshape.io/v1"

    /// Checks the header of a document. Nil (reported) when the document cannot be used at all.
    mutating func header(_ root: ManifestNode) -> DocumentHeader? {
        guard let fields = fields(root, "the document", allowed: ManifestKeys.document) else { return nil }
        var usable = true
        if let node = fields["apiVersion"] {
            if let version = string(node, "apiVersion"), version != Self.apiVersion {
                error("apiVersion '\(version)' is not supported", at: node.location, hint: "use apiVersion: \(Self.apiVersion)")
            }
        } else {
            error("the document has no apiVersion", at: root.location, hint: "add apiVersion: \(Self.apiVersion)")
        }
        guard let kindNode = fields["kind"] else {
            error("the document has no kind", at: root.location, hint: "add kind: Environment or kind: Base")
            return nil
        }
        guard let kind = choice(kindNode, "kind", as: DocumentKind.self) else { return nil }
        var name: String?
        if let metadata = fields["metadata"], let meta = self.fields(metadata, "metadata", allowed: ManifestKeys.metadata) {
            if let nameNode = meta["name"], let value = string(nameNode, "metadata.name") {
                if NameSyntax.isEnvironmentName(value) {
                    name = value
                } else {
                    error(
                        "environment name '\(value)' is invalid",
                        at: nameNode.location,
                        hint: "use 1-63 lowercase letters, digits and '-', starting with a letter"
                    )
                    usable = false
                }
            }
            if let labels = meta["labels"] { _ = stringMap(labels, "metadata.labels") }
        }
        if kind == .environment, name == nil, usable {
            error("an Environment needs metadata.name", at: root.location, hint: "add metadata: { name: dev }")
            usable = false
        }
        guard usable else { return nil }
        return DocumentHeader(kind: kind, name: name, spec: fields["spec"], location: root.location)
    }

    /// Decodes a merged `spec:` node.
    mutating func environmentSpec(_ node: ManifestNode?, at location: SourceLocation) -> EnvironmentSpec {
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
        if let services = fields["services"] {
            for entry in namedEntries(services, "services") {
                guard NameSyntax.isResourceName(entry.key) else {
                    error(
                        "service name '\(entry.key)' is invalid",
                        at: entry.keyLocation,
                        hint: "use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit"
                    )
                    continue
                }
                if let service = service(named: entry.key, entry.value) {
                    spec.services[entry.key] = service
                }
            }
        }
        if let policy = fields["policy"] {
            spec.policy = self.policy(policy)
        }
        return spec
    }

    mutating func policy(_ node: ManifestNode) -> Policy {
        var policy = Policy()
        guard let fields = fields(node, "policy", allowed: ManifestKeys.policy) else { return policy }
        if let node = fields["prune"], let value = bool(node, "policy.prune") { policy.prune = value }
        if let node = fields["selfHeal"], let value = bool(node, "policy.selfHeal") { policy.selfHeal = value }
        if let node = fields["maxChanges"], let value = int(node, "policy.maxChanges", in: 1...100_000) {
            policy.maxChanges = value
        }
        return policy
    }
}

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
    var labels: [String: String]
    var spec: ManifestNode?
    var location: ManifestLocation
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
        var labels: [String: String] = [:]
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
            if let node = meta["labels"], let map = stringMap(node, "metadata.labels") { labels = map }
        }
        if kind == .environment, name == nil, usable {
            error("an Environment needs metadata.name", at: root.location, hint: "add metadata: { name: dev }")
            usable = false
        }
        guard usable else { return nil }
        return DocumentHeader(kind: kind, name: name, labels: labels, spec: fields["spec"], location: root.location)
    }
}

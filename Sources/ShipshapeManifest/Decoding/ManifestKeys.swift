/// The keys each object of the format accepts. The decoder refuses every other key, and a test
/// checks that `manifests/schema/shipshape-v1.schema.json` lists exactly these.
enum ManifestKeys {
    static let document = ["apiVersion", "kind", "metadata", "spec"]
    static let metadata = ["name", "labels"]
    static let spec = ["region", "services", "policy"]
    static let service = ["runtime", "image", "tag", "digest", "replicas", "ports", "env", "command", "health"]
    static let health = ["http", "port", "command", "timeout", "interval", "retries"]
    static let policy = ["prune", "selfHeal", "maxChanges"]

    /// Schema definition name → accepted keys.
    static let all: [String: [String]] = [
        "document": document,
        "metadata": metadata,
        "spec": spec,
        "service": service,
        "health": health,
        "policy": policy,
    ]
}

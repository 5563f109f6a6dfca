/// Loads manifests: parses every file, merges `base.yaml` under each environment, decodes and
/// validates, and collects every problem as a diagnostic.
public enum ManifestLoader {
    /// Decodes and validates every environment in the manifest files. Never throws: problems are diagnostics.
    ///
    /// Documents of `kind: Base` are merged (in path order) under every environment. Documents of
    /// `kind: Environment` with the same `metadata.name` are merged in path order when they all sit
    /// in a folder named after the environment (`prod/services.yaml`, `prod/network.yaml`); the same
    /// name in unrelated files is an error.
    public static func load(_ files: [ManifestSource], options: ManifestOptions = .init()) -> ManifestBundle {
        let parser = ManifestParser(limits: options.limits)
        var shared: [Diagnostic] = []
        var perEnvironment: [String: [Diagnostic]] = [:]
        var baseSpecs: [ManifestNode] = []
        var environmentDocuments: [String: [(file: String, header: DocumentHeader)]] = [:]

        for source in files.sorted(by: { $0.path < $1.path }) {
            var fileDiagnostics: [Diagnostic] = []
            let documents = parser.parse(source, diagnostics: &fileDiagnostics)
            shared += fileDiagnostics
            for document in documents {
                var decoder = SpecDecoder(options: options)
                guard let header = decoder.header(document) else {
                    shared += decoder.diagnostics
                    continue
                }
                switch header.kind {
                case .base:
                    shared += decoder.diagnostics
                    if let spec = header.spec { baseSpecs.append(spec) }
                case .environment:
                    let name = header.name ?? ""
                    perEnvironment[name, default: []] += decoder.diagnostics
                    environmentDocuments[name, default: []].append((source.path, header))
                }
            }
        }

        let baseSpec = baseSpecs.dropFirst().reduce(baseSpecs.first?.withoutNullEntries()) { merged, next in
            merged.map { ManifestNode.overlay($0, with: next) }
        }

        var environments: [String: Environment] = [:]
        for (name, documents) in environmentDocuments {
            var decoder = SpecDecoder(options: options)
            if documents.count > 1 {
                let inOwnFolder = documents.allSatisfy { Self.folderName(of: $0.file) == name }
                if !inOwnFolder {
                    for document in documents.dropFirst() {
                        decoder.error(
                            "environment '\(name)' is defined more than once (first in \(documents[0].file))",
                            at: document.header.location,
                            hint: "give each environment one file, or put all its files in a folder named \(name)/"
                        )
                    }
                }
            }
            // Every document is overlaid, even without a base, so `key: null` means "unset" everywhere.
            var spec = baseSpec
            for document in documents {
                guard let next = document.header.spec else { continue }
                spec = ManifestNode.overlay(spec ?? ManifestNode(content: .mapping([]), location: next.location), with: next)
            }
            let decoded = decoder.environmentSpec(spec, at: documents[0].header.location)
            perEnvironment[name, default: []] += decoder.diagnostics
            let blocking = shared + (perEnvironment[name] ?? [])
            if !blocking.containsError {
                let labels = documents.reduce(into: [String: String]()) { labels, document in
                    labels.merge(document.header.labels) { _, later in later }
                }
                environments[name] = Environment(name: name, labels: labels, spec: decoded)
            }
        }
        return ManifestBundle(
            environmentNames: environmentDocuments.keys.sorted(),
            environments: environments,
            shared: shared,
            perEnvironment: perEnvironment
        )
    }

    static func folderName(of path: String) -> String? {
        let components = path.split(separator: "/")
        guard components.count >= 2 else { return nil }
        return String(components[components.count - 2])
    }
}

/// The result of loading a manifests folder: every environment, the valid ones decoded, and every
/// diagnostic.
public struct ManifestBundle: Sendable {
    /// Every environment found, valid or not, sorted.
    public var environmentNames: [String]
    /// The environments without error diagnostics, by name.
    public var environments: [String: Environment]
    /// Every diagnostic, sorted by file, line, column (exact duplicates removed).
    public var diagnostics: [Diagnostic]

    /// Diagnostics that block every environment: unreadable files, base problems.
    var sharedDiagnostics: [Diagnostic]
    /// Diagnostics of each environment's own files and of its merged spec.
    var environmentDiagnostics: [String: [Diagnostic]]

    /// Creates a bundle.
    public init(environmentNames: [String], environments: [String: Environment], diagnostics: [Diagnostic]) {
        self.environmentNames = environmentNames
        self.environments = environments
        self.diagnostics = diagnostics.sortedUnique()
        self.sharedDiagnostics = self.diagnostics
        self.environmentDiagnostics = [:]
    }

    init(
        environmentNames: [String],
        environments: [String: Environment],
        shared: [Diagnostic],
        perEnvironment: [String: [Diagnostic]]
    ) {
        self.environmentNames = environmentNames
        self.environments = environments
        self.sharedDiagnostics = shared.sortedUnique()
        self.environmentDiagnostics = perEnvironment.mapValues { $0.sortedUnique() }
        self.diagnostics = (shared + perEnvironment.values.flatMap { $0 }).sortedUnique()
    }

    /// The diagnostics that concern `environment`: those of `base.yaml`, of the environment's own
    /// files and of its merged spec, plus those of files that could not be attributed to any
    /// environment (a file that does not parse could be part of any of them). Sorted.
    public func diagnostics(for environment: String) -> [Diagnostic] {
        (sharedDiagnostics + (environmentDiagnostics[environment] ?? [])).sortedUnique()
    }

    /// True when no diagnostic is an error.
    public var isValid: Bool { !diagnostics.containsError }
}

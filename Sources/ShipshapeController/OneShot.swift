public import Logging
import ShipshapeManifest
import ShipshapeReconcile

/// One reconcile cycle per environment without the daemon: `shipshape plan` and `shipshape apply`.
///
/// The manifests come from a folder (a checkout, as in CI) or from the configuration's Git
/// repository, fetched into its state directory.
public struct OneShot: Sendable {
    private enum Source: Sendable {
        case directory(String)
        case git(ControllerConfiguration.Git)
    }

    private let source: Source
    private let configuration: ControllerConfiguration
    private let logger: Logger

    /// Manifests from the configuration's Git repository.
    public init(configuration: ControllerConfiguration, logger: Logger) {
        source = .git(configuration.git)
        self.configuration = configuration
        self.logger = logger
    }

    /// Manifests from a folder; everything else at its defaults.
    public init(manifests: String, stateDirectory: String, logger: Logger) {
        source = .directory(manifests)
        var configuration = ControllerConfiguration(git: .init(url: "file://" + manifests))
        configuration.stateDirectory = stateDirectory
        self.configuration = configuration
        self.logger = logger
    }

    /// The manifests to reconcile.
    public func snapshot() async throws -> ManifestSnapshot {
        switch source {
        case .directory(let path):
            return try DirectoryManifestSource.load(directory: path)
        case .git(let git):
            let source = GitManifestSource(
                configuration: git, stateDirectory: configuration.stateDirectory, logger: logger)
            return try await source.refresh()
        }
    }

    /// The environments to reconcile: `only`, else the configuration's list, else every one found.
    public func environments(in snapshot: ManifestSnapshot, only: String?) -> [String] {
        if let only { return [only] }
        return configuration.environments ?? snapshot.bundle.environmentNames
    }

    /// Runs one cycle for `environment`; `apply: false` plans only.
    public func run(environment: String, snapshot: ManifestSnapshot, apply: Bool) async throws -> ReconcileCycle.Outcome {
        let store = try StateStore(directory: configuration.stateDirectory)
        let reconciler = Reconciler(
            providers: Controller.providers(
                configuration: configuration, aws: AWSClients(configuration: configuration.aws, logger: logger), logger: logger))
        let cycle = ReconcileCycle(
            reconciler: reconciler, store: store, metrics: nil, status: nil,
            dryRun: configuration.policy.dryRun, logger: logger)
        if apply { await cycle.reportInterruptedApply(environment: environment) }
        return await cycle.run(environment: environment, snapshot: snapshot, apply: apply)
    }
}

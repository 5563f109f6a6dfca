import ArgumentParser

/// The `shipshape` command line: a thin layer over ShipshapeController.
@main
struct Shipshape: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shipshape",
        abstract: "GitOps reconciliation for Docker hosts and AWS.",
        discussion: """
            Exit status: 0 success (plan: no changes), 1 error or invalid manifests, 2 (plan only) \
            changes pending.
            """,
        version: ShipshapeVersion.current,
        subcommands: [
            Run.self, Validate.self, Render.self, Plan.self, Apply.self, Status.self, History.self,
            Approve.self, Suspend.self, Resume.self, Rollback.self, Unpin.self, Reconcile.self, Version.self,
        ]
    )
}

/// The version `shipshape version` prints.
enum ShipshapeVersion {
    static let current = "0.1.0"
}

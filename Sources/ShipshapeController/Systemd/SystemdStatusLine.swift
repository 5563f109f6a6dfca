/// The one-line `STATUS=` text systemd shows in `systemctl status shipshape`.
public enum SystemdStatusLine {
    /// `2 env: prod converged @1a2b3c4d5e6f, staging failed; git ok` (at most ~200 characters).
    public static func summary(of document: StatusDocument) -> String {
        let environments = document.environments.map { status in
            var text = "\(status.environment) \(status.result.rawValue)"
            if let revision = status.appliedRevision { text += " @\(revision.prefix(12))" }
            if status.drifted > 0 { text += " (\(status.drifted) drifted)" }
            return text
        }
        let git = document.git.reachable ? "git ok" : "git unreachable"
        let ready = document.ready ? "" : "starting; "
        return SystemdNotifier.oneLine("\(ready)\(document.environments.count) env: \(environments.joined(separator: ", ")); \(git)")
    }
}

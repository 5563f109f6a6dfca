import Foundation

/// Checks for the monitoring tools the tests run (`promtool`, `prometheus`, `prometheus-alertmanager`).
public enum MonitoringTools {
    /// Throws a clear error when `program` is not on `PATH`.
    public static func require(_ program: String, package: String) async throws {
        let found = try await Command.run(["sh", "-c", "command -v \(program)"], check: false)
        guard found.status == 0 else {
            throw HarnessError("`\(program)` is not installed; install the Debian package `\(package)` (apt-get install \(package))")
        }
    }

    /// Runs `promtool check metrics` on `exposition` and returns its complaints (empty: clean).
    /// promtool reports problems on stderr (and exits 1 for lint problems), so both are returned.
    public static func checkMetrics(_ exposition: String) async throws -> String {
        try await require("promtool", package: "prometheus")
        let output = try await Command.run(["promtool", "check", "metrics"], input: Data(exposition.utf8), check: false)
        return (output.stdout + output.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

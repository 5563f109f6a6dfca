import Foundation

/// Builds small container images for tests from the host's static busybox, with `docker import`
/// (no registry needed).
///
/// Each image holds `/bin/busybox`, the applets tests use as symlinks (`sh`, `httpd`, `nc`, …) and
/// the files given per image. Build every image under a unique name and `remove` it afterwards.
public enum TestImages {
    /// Where the static busybox binary comes from (Debian's `busybox-static`).
    public static let busyboxPath = "/bin/busybox"

    /// Applets linked into `/bin` of every test image.
    public static let applets = [
        "sh", "httpd", "nc", "sleep", "cat", "echo", "true", "false", "wget", "ls", "env", "test", "id", "kill",
    ]

    /// Builds `reference` (`name:tag`) from busybox plus `files` (absolute path in the image →
    /// contents), with Dockerfile instructions `changes` (e.g. `CMD ["/bin/sh"]`, `ENV A=b`,
    /// `LABEL k=v`, `EXPOSE 8080`). Returns the image id.
    @discardableResult
    public static func build(_ reference: String, files: [String: String] = [:], changes: [String] = []) async throws
        -> String
    {
        guard FileManager.default.isExecutableFile(atPath: busyboxPath) else {
            throw HarnessError(
                "\(busyboxPath) is missing: install Debian's busybox-static (apt-get install -y busybox-static)")
        }
        let workspace = try TemporaryDirectory(prefix: "shipshape-image")
        defer { workspace.remove() }
        let root = workspace.appending("root")
        let manager = FileManager.default
        try manager.createDirectory(atPath: "\(root)/bin", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: "\(root)/tmp", withIntermediateDirectories: true)
        try manager.copyItem(atPath: busyboxPath, toPath: "\(root)/bin/busybox")
        for applet in applets {
            try manager.createSymbolicLink(atPath: "\(root)/bin/\(applet)", withDestinationPath: "busybox")
        }
        for (path, contents) in files {
            precondition(path.hasPrefix("/"), "image file paths are absolute: \(path)")
            let file = root + path
            try manager.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: URL(fileURLWithPath: file))
        }
        let archive = workspace.appending("image.tar")
        try await Command.run(["tar", "-C", root, "-cf", archive, "."])
        var arguments = ["docker", "import"]
        for change in changes { arguments += ["--change", change] }
        arguments += [archive, reference]
        do {
            let output = try await Command.run(arguments)
            return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        } catch let failure as Command.Failure {
            throw HarnessError("cannot import test image \(reference) (is dockerd running?): \(failure)")
        }
    }

    /// The health check baked into an HTTP server image.
    public enum ImageHealth: Sendable {
        /// No `HEALTHCHECK`.
        case absent
        /// A `HEALTHCHECK` (every second, 2 retries, 120 s start period) fetching `/actuator/health`, which is served.
        case passing
        /// The same `HEALTHCHECK` without start period, but `/actuator/health` is missing: the "bad"
        /// tag of a rollout test (it still serves `/version`).
        case failing
    }

    /// An image like the demo's `community-api`: busybox httpd serving `/www` on `port`, with
    /// `/www/version` holding `version` and `/www/actuator/health` holding `{"status":"UP"}`
    /// (left out for `.failing`).
    @discardableResult
    public static func buildHTTPServer(
        _ reference: String, version: String, port: Int = 8080, health: ImageHealth = .absent,
        extraChanges: [String] = []
    ) async throws -> String {
        var files = ["/www/version": version]
        if health != .failing { files["/www/actuator/health"] = #"{"status":"UP"}"# }
        var changes = [
            // A shell as PID 1 with a TERM trap, so `docker stop` ends the container at once
            // (busybox httpd as PID 1 ignores SIGTERM and would wait for the kill timeout).
            #"CMD ["/bin/sh","-c","trap \"exit 0\" TERM; /bin/httpd -f -p \#(port) -h /www & wait"]"#,
            "EXPOSE \(port)/tcp",
        ]
        if health != .absent {
            // A long start period and timeout spare a slow start or a slow check on a loaded host
            // (failures in the start period do not count; the first success is healthy at once);
            // the failing tag has no start period, so its 404s turn it unhealthy within seconds.
            let startPeriod = health == .passing ? "--start-period=120s " : ""
            changes.append(
                #"HEALTHCHECK --interval=1s --timeout=10s --retries=2 \#(startPeriod)CMD ["/bin/wget","-q","-O","/dev/null","http://127.0.0.1:\#(port)/actuator/health"]"#
            )
        }
        return try await build(reference, files: files, changes: changes + extraChanges)
    }

    /// Removes images (by reference or id), ignoring ones already gone.
    public static func remove(_ references: String...) async {
        await remove(references)
    }

    /// Removes images (by reference or id), ignoring ones already gone.
    public static func remove(_ references: [String]) async {
        guard !references.isEmpty else { return }
        _ = try? await Command.run(["docker", "rmi", "--force"] + references, check: false)
    }

    /// A name unique to one test run: `prefix-<8 random hex>`, lower case as image names must be.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(String(UInt32.random(in: .min ... .max), radix: 16))"
    }
}

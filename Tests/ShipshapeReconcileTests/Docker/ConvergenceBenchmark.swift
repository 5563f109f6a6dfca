import Foundation
import ShipshapeDocker
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Testing

/// Benchmark, not a timed test: time from plan to converged for 1, 10 and 30 containers with
/// Shipshape (one batch, and one replica at a time), and `docker-compose up -d` on the same image and
/// ports, side by side in one run. Prints a table; asserts only that everything converged.
///
/// Run: `SHIPSHAPE_BENCH=1 swift test --filter ConvergenceBenchmark`
@Suite("Docker provider: convergence benchmark", .serialized)
struct ConvergenceBenchmark {
    @Test("plan → converged for 1, 10, 30 containers, Shipshape vs docker-compose up -d",
        .enabled(if: ProcessInfo.processInfo.environment["SHIPSHAPE_BENCH"] == "1", "set SHIPSHAPE_BENCH=1 to run the benchmark"))
    func benchmark() async throws {
        let repository = try await RolloutImages.httpServer("bench", versions: ["1.0.0"])
        defer { Task { await TestImages.remove("\(repository):1.0.0") } }
        var rows: [String] = []
        for count in [1, 10, 30] {
            let batch = try await shipshape(repository: repository, count: count, maxUnavailable: count)
            let sequential = try await shipshape(repository: repository, count: count, maxUnavailable: 1)
            let compose = try await dockerCompose(repository: repository, count: count)
            rows.append(
                "| \(count) | \(Self.seconds(batch)) | \(Self.seconds(sequential)) | \(Self.seconds(compose)) |")
        }
        print(
            """
            plan → converged (HTTP health check passed for Shipshape; containers started for compose)
            | containers | shipshape maxUnavailable=N | shipshape maxUnavailable=1 | docker-compose up -d |
            |---|---|---|---|
            \(rows.joined(separator: "\n"))
            """)
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    func shipshape(repository: String, count: Int, maxUnavailable: Int) async throws -> Duration {
        try await ProviderHarness.with { harness in
            let base = try RolloutTests.portBase(replicas: count, offset: 0)
            let service = RolloutImages.service(
                repository: repository, tag: "1.0.0", replicas: count, hostPort: base,
                strategy: DeploymentStrategy(kind: .rolling, maxUnavailable: maxUnavailable))
            let started = ContinuousClock.now
            try await harness.deployOrThrow([service])
            let elapsed = ContinuousClock.now - started
            #expect(try await harness.containers().filter(\.isRunning).count == count)
            return elapsed
        }
    }

    func dockerCompose(repository: String, count: Int) async throws -> Duration {
        let directory = try TemporaryDirectory(prefix: "shipshape-compose")
        defer { directory.remove() }
        let base = try RolloutTests.portBase(replicas: count, offset: 0)
        var file = "version: \"3.7\"\nservices:\n"
        for index in 0..<count {
            file += """
                  api\(index):
                    image: \(repository):1.0.0
                    ports: ["127.0.0.1:\(base + index):8080"]
                    restart: unless-stopped

                """
        }
        let path = try directory.write(file, to: "docker-compose.yml")
        let project = TestImages.uniqueName("bench")
        let started = ContinuousClock.now
        do {
            try await Command.run(["docker-compose", "-p", project, "-f", path, "up", "-d"])
        } catch {
            _ = try? await Command.run(["docker-compose", "-p", project, "-f", path, "down", "-t", "1"], check: false)
            throw error
        }
        let elapsed = ContinuousClock.now - started
        let running = try await Command.run(
            ["docker", "ps", "-q", "--filter", "label=com.docker.compose.project=\(project)"])
        #expect(running.stdout.split(separator: "\n").count == count)
        try await Command.run(["docker-compose", "-p", project, "-f", path, "down", "-t", "1"])
        return elapsed
    }
}

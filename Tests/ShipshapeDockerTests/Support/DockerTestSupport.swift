import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ShipshapeDocker
import ShipshapeTesting

/// What one test created in the daemon, removed at the end whatever happens.
actor DockerResources {
    private var containers: [String] = []
    private var images: [String] = []

    func container(_ idOrName: String) { containers.append(idOrName) }
    func image(_ reference: String) { images.append(reference) }

    func removeAll(using client: DockerClient) async {
        for container in containers.reversed() {
            try? await client.removeContainer(container, force: true)
        }
        await TestImages.remove(images)
    }
}

enum DockerTestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "shipshape.docker.test")
        logger.logLevel = .info
        return logger
    }()

    static var client: DockerClient { DockerClient(logger: logger) }

    /// Runs `body`, then removes every container and image it registered, even when it threw.
    static func withResources<T: Sendable>(_ body: (DockerClient, DockerResources) async throws -> T) async throws -> T
    {
        let client = client
        let resources = DockerResources()
        do {
            let result = try await body(client, resources)
            await resources.removeAll(using: client)
            return result
        } catch {
            await resources.removeAll(using: client)
            throw error
        }
    }

    /// A label unique to one test, so listing by it sees only that test's containers.
    static func uniqueLabel() -> (key: String, value: String) {
        ("io.shipshape.test", UUID().uuidString.lowercased())
    }

    /// GETs `http://127.0.0.1:port/path` until it answers 200 (the server may still be starting);
    /// returns the body.
    static func httpGet(port: Int, path: String, timeout: Duration = .seconds(15)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var lastProblem = "no attempt"
        while ContinuousClock.now < deadline {
            do {
                let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(2))
                let body = try await response.body.collect(upTo: 1 << 20)
                if response.status == .ok { return String(buffer: body) }
                lastProblem = "HTTP \(response.status.code)"
            } catch {
                lastProblem = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("GET http://127.0.0.1:\(port)\(path) did not answer 200 within \(timeout): \(lastProblem)")
    }
}

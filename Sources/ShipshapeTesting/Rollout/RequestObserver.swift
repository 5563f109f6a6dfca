import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends GET requests to one URL back to back while a rollout runs, and counts what came back.
///
/// One request at a time, each on a new connection (`Connection: close`, like a stream of distinct
/// clients: a kept-alive connection that a reloading nginx closes while idle is a client-side race,
/// not a rollout failure) with a 30 s timeout (a loaded test host can be slow; a dropped request
/// fails at once, a hung one at the timeout), until `stop()` or `maxDuration` (a bound, so a test
/// that forgets to stop cannot hang). A request fails when it errors or answers other than 200.
public final class RequestObserver: Sendable {
    /// What the observer saw.
    public struct Report: Sendable, CustomStringConvertible {
        public var requests: Int
        /// Failed requests, in order: `HTTP 502` or the error.
        public var failures: [String]
        /// How often each response body (trimmed) was served.
        public var bodies: [String: Int]
        /// The bodies in the order they first appeared.
        public var sequence: [String]

        public var description: String {
            "\(requests) requests, \(failures.count) failed\(failures.isEmpty ? "" : " (first: \(failures.prefix(3).joined(separator: "; ")))"), bodies \(bodies)"
        }
    }

    /// Set by `stop()`; a class, so the request loop can hold it.
    private final class StopFlag: Sendable {
        let value = Mutex(false)
    }

    private let stopped: StopFlag
    private let task: Task<Report, Never>

    /// Starts sending GETs to `url`.
    public init(url: String, pause: Duration = .milliseconds(5), maxDuration: Duration = .seconds(300)) {
        let flag = StopFlag()
        stopped = flag
        task = Task {
            var report = Report(requests: 0, failures: [], bodies: [:], sequence: [])
            let deadline = ContinuousClock.now + maxDuration
            while !flag.value.withLock({ $0 }) && ContinuousClock.now < deadline {
                report.requests += 1
                do {
                    var request = HTTPClientRequest(url: url)
                    request.headers.add(name: "Connection", value: "close")
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                    let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    if response.status.code == 200 {
                        if report.bodies[body] == nil { report.sequence.append(body) }
                        report.bodies[body, default: 0] += 1
                    } else {
                        report.failures.append("HTTP \(response.status.code): \(body.prefix(200))")
                    }
                } catch {
                    report.failures.append("\(error)")
                }
                try? await Task.sleep(for: pause)
            }
            return report
        }
    }

    /// Stops after the request in flight and returns the report.
    public func stop() async -> Report {
        stopped.value.withLock { $0 = true }
        return await task.value
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Plain GETs on 127.0.0.1 for tests.
public enum LoopbackHTTP {
    /// GETs `http://127.0.0.1:port/path` until it answers 200 (the server may still be starting);
    /// returns the trimmed body.
    public static func get(port: Int, path: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var lastProblem = "no attempt"
        while ContinuousClock.now < deadline {
            do {
                let response = try await HTTPClient.shared.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(2))
                let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
                if response.status.code == 200 { return body.trimmingCharacters(in: .whitespacesAndNewlines) }
                lastProblem = "HTTP \(response.status.code)"
            } catch {
                lastProblem = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("GET http://127.0.0.1:\(port)\(path) did not answer 200 within \(timeout): \(lastProblem)")
    }
}

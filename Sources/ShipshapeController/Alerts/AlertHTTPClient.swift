public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The one HTTP request every sink makes: a POST of a JSON body, success on 2xx.
public struct AlertHTTPClient: Sendable {
    public let client: HTTPClient
    public let timeout: Duration

    public init(client: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.client = client
        self.timeout = timeout
    }

    /// POSTs `body` to `url`. Errors name `sink` and `endpoint` (a redacted URL) and have every
    /// secret in `secrets` scrubbed from the response excerpt.
    func post(
        _ url: String,
        body: [UInt8],
        headers: [(String, String)],
        sink: String,
        endpoint: String,
        secrets: [SecretValue]
    ) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "shipshape")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .nanoseconds(timeout.wholeNanoseconds))
        } catch let error as CancellationError {
            throw error
        } catch {
            var reason = "\(error)"
            for secret in secrets { reason = secret.scrub(reason) }
            throw AlertDeliveryError.transport(reason.replacingOccurrences(of: url, with: endpoint), sink: sink, endpoint: endpoint)
        }
        let collected = (try? await response.body.collect(upTo: 64 << 10)).map { String(buffer: $0) } ?? ""
        guard (200..<300).contains(Int(response.status.code)) else {
            var excerpt = String(collected.prefix(300)).replacingOccurrences(of: "\n", with: " ")
            for secret in secrets { excerpt = secret.scrub(excerpt) }
            throw AlertDeliveryError.status(Int(response.status.code), body: excerpt, sink: sink, endpoint: endpoint)
        }
    }

    static func json(_ value: some Encodable, sink: String, endpoint: String) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw AlertDeliveryError.encoding("\(error)", sink: sink, endpoint: endpoint)
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds (for NIO's `TimeAmount`).
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Talks to a running controller's HTTP API, for the `status`, `history`, `approve`, `suspend`,
/// `resume`, `rollback`, `unpin` and `reconcile` commands.
public struct ControllerClient: Sendable {
    /// `http://HOST:PORT` of the controller.
    public let address: String
    /// The admin bearer token, for state-changing requests.
    public let token: String?

    public init(address: String, token: String? = nil) {
        self.address = address.hasSuffix("/") ? String(address.dropLast()) : address
        self.token = token
    }

    /// `/api/v1/status`: the document and its raw JSON.
    public func status() async throws -> (document: StatusDocument, json: String) {
        let data = try await request("/api/v1/status")
        return (try decoder.decode(StatusDocument.self, from: data), String(decoding: data, as: UTF8.self))
    }

    /// `/api/v1/environments/ENV/history`, oldest first.
    public func history(_ environment: String) async throws -> [HistoryEntry] {
        try decoder.decode([HistoryEntry].self, from: try await request("/api/v1/environments/\(environment)/history"))
    }

    /// POSTs an admin action (`suspend`, `approve`, …) with an optional JSON body; returns the
    /// controller's answer.
    @discardableResult
    public func post(_ environment: String, _ action: String, body: [String: String]? = nil) async throws -> [String: String] {
        let data = try await request(
            "/api/v1/environments/\(environment)/\(action)", method: .POST,
            body: try body.map { try JSONEncoder().encode($0) })
        return try decoder.decode([String: String].self, from: data)
    }

    private var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private func request(_ path: String, method: HTTPMethod = .GET, body: Data? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: address + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        } catch {
            throw ControllerClientError("cannot reach the controller at \(address): \(error)")
        }
        let data = Data(buffer: try await response.body.collect(upTo: 8 << 20))
        guard response.status == .ok else {
            let reason = (try? JSONDecoder().decode([String: String].self, from: data))?["error"]
                ?? String(decoding: data.prefix(500), as: UTF8.self)
            throw ControllerClientError("\(method) \(path): \(response.status.code) \(reason)")
        }
        return data
    }
}

/// A request to the controller failed; the message says which and why.
public struct ControllerClientError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

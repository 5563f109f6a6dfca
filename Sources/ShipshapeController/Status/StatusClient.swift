import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOFoundationCompat

/// Reads a running controller's `/api/v1/status` (for `shipshape status`).
public enum StatusClient {
    /// Fetches the status document from the controller at `address` (`http://HOST:PORT`).
    /// Returns the document and its raw JSON.
    public static func fetch(address: String) async throws -> (document: StatusDocument, json: String) {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: address + "/api/v1/status"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 4 << 20)
        guard response.status == .ok else {
            throw StatusError("\(address)/api/v1/status answered \(response.status.code)")
        }
        let data = Data(buffer: body)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try decoder.decode(StatusDocument.self, from: data), String(decoding: data, as: UTF8.self))
    }
}

/// The controller's status could not be read.
public struct StatusError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

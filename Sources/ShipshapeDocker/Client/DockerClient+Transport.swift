import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A complete answer of the daemon.
struct DockerResponse: Sendable {
    var status: HTTPResponseStatus
    var body: ByteBuffer

    /// The daemon's `{"message": …}`, or the raw body when it is not JSON.
    var message: String {
        if let wire = try? JSONDecoder().decode(WireMessage.self, from: body), let message = wire.message {
            return message
        }
        return String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension DockerClient {
    /// Largest answer body read into memory (a list of thousands of containers stays well below).
    static let maxBodyBytes = 64 * 1024 * 1024

    /// Sends one request and reads the whole answer. Transport failures become `DockerError`s;
    /// HTTP error statuses are returned for the caller to interpret.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: Data? = nil,
        headers: [(String, String)] = [],
        operation: String,
        resource: String,
        timeout: Duration? = nil
    ) async throws -> DockerResponse {
        let started = ContinuousClock.now
        let response = try await open(
            method, path, query: query, body: body, headers: headers, operation: operation, resource: resource,
            timeout: timeout)
        let bytes: ByteBuffer
        do {
            bytes = try await response.body.collect(upTo: Self.maxBodyBytes)
        } catch {
            throw transportError(error, operation: operation, resource: resource)
        }
        logger.debug(
            "docker request",
            metadata: [
                "docker.method": "\(method.rawValue)", "docker.path": "\(path)",
                "docker.status": "\(response.status.code)",
                "docker.duration_ms": "\((ContinuousClock.now - started).milliseconds)",
            ])
        return DockerResponse(status: response.status, body: bytes)
    }

    /// Sends one request and returns the answer with its body still streaming (for pulls).
    func open(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: Data? = nil,
        headers: [(String, String)] = [],
        operation: String,
        resource: String,
        timeout: Duration? = nil
    ) async throws -> HTTPClientResponse {
        let uri = "/v\(Self.apiVersion)\(Self.percentEncodePath(path))\(Self.queryString(query))"
        guard let url = URL(httpURLWithSocketPath: socketPath, uri: uri) else {
            throw DockerError(
                code: .daemonUnreachable, operation: operation, resource: resource,
                message: "cannot build a request URL for the socket path \(socketPath)")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        // AsyncHTTPClient sends no Host header over a unix socket, and dockerd rejects such requests with 400.
        request.headers.add(name: "Host", value: "localhost")
        request.headers.add(name: "User-Agent", value: "shipshape")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let deadline = timeout ?? requestTimeout
        do {
            return try await httpClient.execute(request, timeout: .nanoseconds(deadline.nanoseconds), logger: logger)
        } catch {
            throw transportError(error, operation: operation, resource: resource)
        }
    }

    /// Decodes a JSON answer of a GET that must be 200.
    func get<T: Decodable>(
        _ type: T.Type, _ path: String, query: [(String, String)] = [], operation: String, resource: String
    )
        async throws -> T
    {
        let response = try await send(.GET, path, query: query, operation: operation, resource: resource)
        guard response.status == .ok else { throw error(for: response, operation: operation, resource: resource) }
        return try decode(type, from: response, operation: operation, resource: resource)
    }

    func decode<T: Decodable>(_ type: T.Type, from response: DockerResponse, operation: String, resource: String) throws
        -> T
    {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw DockerError(
                code: .invalidResponse, operation: operation, resource: resource, status: Int(response.status.code),
                message: "cannot decode the daemon's answer: \(error)")
        }
    }

    func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // The wire types hold only strings, numbers, arrays and dictionaries: encoding cannot fail.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    /// The `DockerError` for an HTTP error status.
    func error(for response: DockerResponse, operation: String, resource: String) -> DockerError {
        let code: DockerError.Code =
            switch response.status.code {
            case 400: .badRequest
            case 401, 403: .unauthorized
            case 404: .notFound
            case 409: .conflict
            default: .unexpectedStatus
            }
        return DockerError(
            code: code, operation: operation, resource: resource, status: Int(response.status.code),
            message: response.message)
    }

    func transportError(_ error: any Error, operation: String, resource: String) -> any Error {
        if error is CancellationError || error is DockerError { return error }
        if let httpError = error as? HTTPClientError,
            httpError == .deadlineExceeded || httpError == .readTimeout
        {
            return DockerError(
                code: .timeout, operation: operation, resource: resource,
                message: "no answer from the daemon at unix://\(socketPath) in time",
                hint: "The daemon may be overloaded; the operation can be retried")
        }
        // A stat of the socket path is cheap and tells the likeliest cause apart.
        let detail =
            FileManager.default.fileExists(atPath: socketPath)
            ? "\(error)" : "no socket exists at \(socketPath); is dockerd running, and is this the right path?"
        return DockerError(
            code: .daemonUnreachable, operation: operation, resource: resource,
            message: "cannot reach the Docker daemon at unix://\(socketPath) (\(detail))")
    }

    /// Characters left as they are in a path: unreserved ones plus `/`, `:` and `@`
    /// (image references such as `127.0.0.1:5000/api@sha256:…` travel in paths).
    private static let pathAllowed: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        set.insert(charactersIn: "/:@")
        return set
    }()

    private static let queryAllowed = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func percentEncodePath(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? path
    }

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?"
            + query.map { name, value in
                "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? value)"
            }.joined(separator: "&")
    }

    /// Docker's `filters` query value: `{"label":["k=v"]}`, keys and values sorted.
    static func filters(_ filters: [String: [String]]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let sorted = filters.mapValues { $0.sorted() }
        return String(decoding: (try? encoder.encode(sorted)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// A name or id as used in an error: short ids for long hex ids.
    static func display(_ idOrName: String) -> String {
        let hex = idOrName.hasPrefix("sha256:") ? idOrName.dropFirst(7) : Substring(idOrName)
        return hex.count == 64 && hex.allSatisfy(\.isHexDigit) ? String(hex.prefix(12)) : idOrName
    }
}

extension Duration {
    /// Whole milliseconds, for logs.
    var milliseconds: Int64 { nanoseconds / 1_000_000 }
}

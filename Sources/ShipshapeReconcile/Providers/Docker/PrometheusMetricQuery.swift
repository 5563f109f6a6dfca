import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `MetricQuery` on a Prometheus server: `GET BASE/api/v1/query?query=…` (an instant query at the
/// server's now), answered with one sample of an instant vector or a scalar.
///
/// The base URL has no credentials (the configuration refuses them); errors name the query and the
/// server's host, and quote at most 200 bytes of a body that is not Prometheus's JSON.
public struct PrometheusMetricQuery: MetricQuery {
    /// The server, e.g. `http://127.0.0.1:9090` (a path prefix such as `/prometheus` is kept).
    public let baseURL: String
    /// How long one query may take, connection included.
    public let timeout: Duration
    let httpClient: HTTPClient

    /// Creates the client; `url` is checked by `problem(withURL:)` when the configuration is read.
    public init(url: String, timeout: Duration = .seconds(5), httpClient: HTTPClient = .shared) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
        self.timeout = timeout
        self.httpClient = httpClient
    }

    /// What is wrong with `url` as a Prometheus base URL, or nil: it must be `http://` or
    /// `https://` with a host, and carry no credentials, query or fragment.
    public static func problem(withURL url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
        else { return "is not an http:// or https:// URL with a host" }
        if components.user != nil || components.password != nil {
            return "must not carry credentials (user:password@); the configuration file holds no secrets"
        }
        if components.query != nil || components.fragment != nil { return "must not have a query or a fragment" }
        return nil
    }

    public func value(of query: String) async throws -> Double? {
        guard let encoded = query.addingPercentEncoding(withAllowedCharacters: Self.unreserved) else {
            throw MetricQueryError(query: query, "cannot be put into a URL")
        }
        var request = HTTPClientRequest(url: "\(baseURL)/api/v1/query?query=\(encoded)")
        request.headers.add(name: "Accept", value: "application/json")
        let status: Int
        let body: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Self.wholeNanoseconds(timeout)))
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: 4 << 20)
        } catch {
            throw MetricQueryError(query: query, "could not be asked of Prometheus at \(host): \(error)")
        }
        return try Self.value(status: status, body: Array(body.readableBytesView), query: query)
    }

    /// `duration` in whole nanoseconds (saturating), for NIO's `TimeAmount`.
    static func wholeNanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }

    /// RFC 3986's unreserved characters: everything else in a query is percent-encoded (`+` too).
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The host (and port) of the base URL, for errors.
    var host: String {
        guard let components = URLComponents(string: baseURL), let host = components.host else {
            return "(invalid URL)"
        }
        return components.port.map { "\(host):\($0)" } ?? host
    }

    /// Reads Prometheus's answer to an instant query: nil for an empty vector, the sample's value
    /// for a vector of one series or a scalar. Throws, naming the query, for an error status or body,
    /// a body that is not Prometheus's JSON, several series, a range vector or a string, and a value
    /// that is NaN or not a number.
    public static func value(status: Int, body: [UInt8], query: String) throws -> Double? {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        guard let object, let outcome = object["status"] as? String else {
            throw MetricQueryError(
                query: query, "got HTTP \(status) with a body that is not a Prometheus API answer: \(excerpt(body))")
        }
        if outcome != "success" || !(200..<300).contains(status) {
            let kind = object["errorType"] as? String ?? "error"
            let message = object["error"] as? String ?? "no message"
            throw MetricQueryError(query: query, "was refused by Prometheus (HTTP \(status), \(kind)): \(message)")
        }
        guard let data = object["data"] as? [String: Any], let type = data["resultType"] as? String else {
            throw MetricQueryError(query: query, "got an answer without data.resultType")
        }
        switch type {
        case "vector":
            guard let series = data["result"] as? [[String: Any]] else {
                throw MetricQueryError(query: query, "got a vector answer without a result list")
            }
            guard let first = series.first else { return nil }
            guard series.count == 1 else {
                let labels = series.prefix(3).map { labelText($0["metric"]) }.joined(separator: ", ")
                throw MetricQueryError(
                    query: query,
                    "returned \(series.count) series (\(labels)\(series.count > 3 ? ", …" : "")); it must return one number: aggregate it, e.g. sum(…) or max(…)"
                )
            }
            return try sampleValue(first["value"], query: query)
        case "scalar":
            return try sampleValue(data["result"], query: query)
        case "matrix":
            throw MetricQueryError(
                query: query,
                "returned a range vector; drop the trailing [range] or wrap it in a function such as rate(…)")
        default:
            throw MetricQueryError(query: query, "returned a \(type), not a number")
        }
    }

    /// `[timestamp, "value"]` → the value.
    private static func sampleValue(_ sample: Any?, query: String) throws -> Double {
        guard let pair = sample as? [Any], pair.count == 2, let text = pair[1] as? String else {
            throw MetricQueryError(query: query, "got a sample that is not [time, \"value\"]")
        }
        let value: Double? =
            switch text {
            case "+Inf": .infinity
            case "-Inf": -.infinity
            case "NaN": .nan
            default: text.utf8.allSatisfy({ (48...57).contains($0) || "+-.eE".utf8.contains($0) }) ? Double(text) : nil
            }
        guard let value else {
            throw MetricQueryError(query: query, "returned '\(text.prefix(40))', which is not a number")
        }
        guard !value.isNaN else {
            throw MetricQueryError(
                query: query,
                "returned NaN (e.g. 0/0 with no traffic); make the query return a number, e.g. with `or vector(0)`")
        }
        return value
    }

    private static func labelText(_ metric: Any?) -> String {
        let labels = (metric as? [String: String]) ?? [:]
        return "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }

    private static func excerpt(_ body: [UInt8]) -> String {
        if body.isEmpty { return "(empty)" }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
            .unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : String($0) }.joined()
        return "'\(text)\(body.count > 200 ? "…" : "")'"
    }
}

/// A canary analysis query could not be evaluated; the message names the query.
public struct MetricQueryError: Error, CustomStringConvertible {
    public var description: String

    init(query: String, _ problem: String) {
        description = "analysis query `\(query)` \(problem)"
    }
}

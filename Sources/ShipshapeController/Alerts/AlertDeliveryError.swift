/// A delivery to a sink that failed: the sink, the (redacted) URL and what went wrong.
public struct AlertDeliveryError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable {
        case status(Int, String)
        case transport(String)
        case encoding(String)
    }

    private let code: Code
    /// The sink's name.
    public let sink: String
    /// The endpoint, without credentials, query or secret path.
    public let endpoint: String

    /// The receiver answered with a non-2xx status; `body` is an excerpt with secrets scrubbed.
    public static func status(_ status: Int, body: String, sink: String, endpoint: String) -> AlertDeliveryError {
        AlertDeliveryError(code: .status(status, body), sink: sink, endpoint: endpoint)
    }

    /// The request did not complete (connection refused, timeout, TLS).
    public static func transport(_ reason: String, sink: String, endpoint: String) -> AlertDeliveryError {
        AlertDeliveryError(code: .transport(reason), sink: sink, endpoint: endpoint)
    }

    /// The alert could not be turned into a request body.
    public static func encoding(_ reason: String, sink: String, endpoint: String) -> AlertDeliveryError {
        AlertDeliveryError(code: .encoding(reason), sink: sink, endpoint: endpoint)
    }

    /// The HTTP status the receiver answered with, if it answered.
    public var httpStatus: Int? {
        if case .status(let status, _) = code { return status }
        return nil
    }

    public var description: String {
        switch code {
        case .status(let status, let body):
            let excerpt = body.isEmpty ? "" : ": \(body)"
            return "alert sink \(sink): \(endpoint) answered HTTP \(status)\(excerpt); check the sink's URL and credentials"
        case .transport(let reason):
            return "alert sink \(sink): request to \(endpoint) failed: \(reason); check that the receiver is reachable"
        case .encoding(let reason):
            return "alert sink \(sink): cannot encode the alert for \(endpoint): \(reason)"
        }
    }
}

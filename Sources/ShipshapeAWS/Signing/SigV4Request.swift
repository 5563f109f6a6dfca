import Foundation

/// An HTTP request as the SigV4 signer sees it.
///
/// `path` and the query items are *decoded* (`/example space/`, `("ሴ", "bar")`); the signer
/// percent-encodes them itself, once, as the SigV4 rules require for every service but S3.
public struct SigV4Request: Sendable, Equatable {
    /// One query parameter, decoded.
    public struct QueryItem: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One header line. Names are case-insensitive; repeated names are allowed.
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `GET`, `POST`, …
    public var method: String
    /// The decoded path (`/`, `/example space/`).
    public var path: String
    /// Decoded query parameters, in wire order.
    public var query: [QueryItem]
    /// Header lines, in wire order.
    public var headers: [Header]
    /// The payload; its SHA-256 is part of the signature.
    public var body: [UInt8]

    /// Creates a request; `headers` must include `Host`.
    public init(method: String, path: String, query: [QueryItem] = [], headers: [Header], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The values of every header named `name` (case-insensitive), in order.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The query string with each name and value percent-encoded (RFC 3986 unreserved kept), in the
    /// request's order, for putting on the wire.
    public var encodedQuery: String {
        query.map { "\(SigV4Signer.uriEncode($0.name))=\(SigV4Signer.uriEncode($0.value))" }.joined(separator: "&")
    }
}

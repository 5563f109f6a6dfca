import Foundation

/// Picks the endpoint for a service, in the order the AWS SDKs use:
///
/// 1. an explicit endpoint given in code (`explicitEndpoint`),
/// 2. `AWS_ENDPOINT_URL_<SERVICE>` (for example `AWS_ENDPOINT_URL_EC2`,
///    `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`),
/// 3. `AWS_ENDPOINT_URL`,
/// 4. the default `https://{endpointPrefix}.{region}.amazonaws.com` (`.amazonaws.com.cn` in China).
public struct AWSEndpointResolver: Sendable {
    public var explicitEndpoint: URL?
    public var environment: [String: String]

    public init(explicitEndpoint: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.explicitEndpoint = explicitEndpoint
        self.environment = environment
    }

    /// The endpoint URL for `service` in `region`.
    public func endpoint(for service: AWSService, region: String) -> URL {
        if let explicitEndpoint { return explicitEndpoint }
        if let value = environment["AWS_ENDPOINT_URL_\(service.environmentName)"], let url = URL(string: value),
            !value.isEmpty
        {
            return url
        }
        if let value = environment["AWS_ENDPOINT_URL"], let url = URL(string: value), !value.isEmpty { return url }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return URL(string: "https://\(service.endpointPrefix).\(region).\(suffix)")!
    }

    /// The endpoint with any user-info stripped, for logs and errors.
    public static func sanitized(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "<endpoint>" }
        components.user = nil
        components.password = nil
        components.query = nil
        return components.string ?? "<endpoint>"
    }
}

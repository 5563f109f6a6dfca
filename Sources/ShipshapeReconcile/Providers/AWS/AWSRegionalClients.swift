public import ShipshapeAWS

/// Where the AWS providers get an `AWSClient` for an environment's region.
///
/// An `AWSClient` signs for one region; an environment names its region in `spec.region`. The
/// controller either hands over one client (`single`) or a function that returns (and caches) one
/// client per region.
public struct AWSRegionalClients: Sendable {
    private let resolve: @Sendable (String) throws -> AWSClient

    /// Clients from `resolve`, called with a region name every time a provider needs a client; it
    /// should return a shared client per region rather than make a new one each time.
    public init(_ resolve: @escaping @Sendable (_ region: String) throws -> AWSClient) {
        self.resolve = resolve
    }

    /// One client for its own region; an environment in another region fails with a clear error.
    public static func single(_ client: AWSClient) -> AWSRegionalClients {
        AWSRegionalClients { region in
            guard region == client.configuration.region else {
                throw AWSProviderError.regionMismatch(requested: region, configured: client.configuration.region)
            }
            return client
        }
    }

    /// The client for `region`.
    func client(for region: String) throws -> AWSClient {
        try resolve(region)
    }
}

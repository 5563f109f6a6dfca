import AsyncHTTPClient
import Foundation
import Logging
import ShipshapeAWS
import ShipshapeManifest
import ShipshapeReconcile
import Synchronization

/// One AWS client per region, made on first use, sharing the credential chain (environment,
/// profile files, then the EC2 instance role through IMDSv2) and the process's HTTP client.
final class AWSClients: Sendable {
    private let configuration: ControllerConfiguration.AWS
    private let credentials: any CredentialProvider
    private let logger: Logger
    private let clients = Mutex<[String: AWSClient]>([:])

    /// `credentials` replaces the default chain (an embedding program's own provider).
    init(configuration: ControllerConfiguration.AWS, credentials: (any CredentialProvider)? = nil, logger: Logger) {
        self.configuration = configuration
        self.credentials = credentials ?? CredentialChain.default(httpClient: .shared)
        self.logger = logger
    }

    /// The region environments without `spec.region` use.
    var defaultRegion: String { configuration.region ?? AWSRegion.resolve() ?? "us-east-1" }

    func client(for region: String) -> AWSClient {
        clients.withLock { clients in
            if let client = clients[region] { return client }
            let client = AWSClient(
                configuration: .init(region: region, endpoint: configuration.endpoint.flatMap(URL.init(string:))),
                credentialProvider: credentials, httpClient: .shared, logger: logger)
            clients[region] = client
            return client
        }
    }

    var regional: AWSRegionalClients {
        AWSRegionalClients { [self] region in client(for: region) }
    }
}

/// Resolves `ssm:` and `secretsmanager:` references at deploy time, in the default region. The
/// values go straight into the container's environment, never into logs, plans or errors.
struct AWSSecretResolver: SecretResolver {
    let clients: AWSClients

    func resolve(_ reference: SecretReference) async throws -> String {
        let client = clients.client(for: clients.defaultRegion)
        switch reference {
        case .ssm(let path):
            return try await SSMClient(client: client).getParameter(path, withDecryption: true).value
        case .secretsManager(let name, let jsonKey):
            let secret = try await SecretsManagerClient(client: client).getSecretValue(name)
            guard let text = secret.string else {
                throw SecretResolutionError("\(reference) holds binary data; only string secrets can go into the environment")
            }
            guard let jsonKey else { return text }
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                let value = object[jsonKey]
            else {
                throw SecretResolutionError("\(reference): the secret is not a JSON object with the key \(jsonKey)")
            }
            return value as? String ?? "\(value)"
        }
    }
}

/// A secret reference could not be turned into a value; the message names the reference, never a value.
struct SecretResolutionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

public import Logging
public import ShipshapeAWS

/// The AWS providers, made together.
public enum AWSProviders {
    /// Every AWS provider: security groups, instances, databases, ECR images and ECS services.
    ///
    /// - Parameters:
    ///   - clients: where to get an `AWSClient` for an environment's region (`.single(client)` for one).
    ///   - options: protected ports, waiter timeouts.
    ///   - logger: for observation warnings; changes log to the apply context's logger.
    public static func make(clients: AWSRegionalClients, options: AWSProviderOptions = .init(), logger: Logger) -> [any Provider] {
        [
            SecurityGroupProvider(clients: clients, options: options, logger: logger),
            InstanceProvider(clients: clients, options: options, logger: logger),
            DatabaseProvider(clients: clients, logger: logger),
            ImageProvider(clients: clients, logger: logger),
            ECSServiceProvider(clients: clients, options: options, logger: logger),
        ]
    }

    /// Every AWS provider, for environments in `client`'s region.
    public static func make(client: AWSClient, options: AWSProviderOptions = .init(), logger: Logger) -> [any Provider] {
        make(clients: .single(client), options: options, logger: logger)
    }
}

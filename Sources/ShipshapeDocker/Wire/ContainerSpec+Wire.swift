// Conversions between the public ContainerSpec and the Engine API's JSON.

extension Duration {
    /// Whole nanoseconds, as the Engine API counts durations.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension ContainerSpec {
    /// The body of `POST /containers/create`.
    var wireCreate: WireCreateContainer {
        var exposed: [String: WireEmpty] = [:]
        for port in exposedPorts { exposed[port.description] = WireEmpty() }
        var bindings: [String: [WirePortBinding]?] = [:]
        for published in publishedPorts {
            let binding = WirePortBinding(HostIp: published.hostIP ?? "", HostPort: published.hostPort.map(String.init) ?? "")
            exposed[published.containerPort.description] = WireEmpty()
            bindings[published.containerPort.description, default: []]?.append(binding)
        }
        let host = WireHostConfig(
            Binds: volumes.isEmpty ? nil : volumes.map(\.description),
            PortBindings: bindings.isEmpty ? nil : bindings,
            RestartPolicy: restartPolicy.map { WireRestartPolicy(Name: $0.name, MaximumRetryCount: $0.maximumRetryCount) },
            Memory: memoryBytes,
            NanoCpus: nanoCPUs,
            LogConfig: logging.map { WireLogConfig(Type: $0.driver, Config: $0.options) },
            NetworkMode: networkMode)
        return WireCreateContainer(
            Image: image,
            Cmd: cmd,
            Entrypoint: entrypoint,
            Env: env.isEmpty ? nil : env,
            Labels: labels.isEmpty ? nil : labels,
            ExposedPorts: exposed.isEmpty ? nil : exposed,
            User: user,
            WorkingDir: workingDir,
            Healthcheck: healthcheck.map { check in
                WireHealthConfig(
                    Test: check.test,
                    Interval: check.interval?.nanoseconds,
                    Timeout: check.timeout?.nanoseconds,
                    Retries: check.retries,
                    StartPeriod: check.startPeriod?.nanoseconds)
            },
            HostConfig: host)
    }

    /// A spec read back from an inspect answer; daemon defaults are kept as the daemon reports them
    /// (empty strings and zero limits become nil).
    init(wireConfig config: WireContainerConfig, hostConfig host: WireHostConfig) {
        let published = ContainerSpec.publishedPorts(from: host.PortBindings ?? [:])
        let exposed = Set((config.ExposedPorts ?? [:]).keys.compactMap(ContainerPort.init(dockerKey:)))
        self.init(
            image: config.Image ?? "",
            entrypoint: config.Entrypoint,
            cmd: config.Cmd,
            env: config.Env ?? [],
            labels: config.Labels ?? [:],
            exposedPorts: exposed,
            publishedPorts: published,
            volumes: (host.Binds ?? []).compactMap(VolumeBind.init(dockerBind:)),
            restartPolicy: host.RestartPolicy.flatMap {
                RestartPolicy(name: $0.Name ?? "", maximumRetryCount: $0.MaximumRetryCount ?? 0)
            },
            memoryBytes: host.Memory.flatMap { $0 == 0 ? nil : $0 },
            nanoCPUs: host.NanoCpus.flatMap { $0 == 0 ? nil : $0 },
            logging: host.LogConfig.flatMap { log in
                log.Type.map { LogConfig(driver: $0, options: log.Config ?? [:]) }
            },
            networkMode: host.NetworkMode.flatMap { $0.isEmpty ? nil : $0 },
            healthcheck: config.Healthcheck.flatMap { check in
                guard let test = check.Test, !test.isEmpty else { return nil }
                func duration(_ nanoseconds: Int64?) -> Duration? {
                    guard let nanoseconds, nanoseconds != 0 else { return nil }
                    return .nanoseconds(nanoseconds)
                }
                return Healthcheck(
                    test: test,
                    interval: duration(check.Interval),
                    timeout: duration(check.Timeout),
                    retries: check.Retries.flatMap { $0 == 0 ? nil : $0 },
                    startPeriod: duration(check.StartPeriod))
            },
            user: config.User.flatMap { $0.isEmpty ? nil : $0 },
            workingDir: config.WorkingDir.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Port bindings from Docker's `{"8080/tcp": [{"HostIp": "", "HostPort": "18080"}]}` map, sorted.
    static func publishedPorts(from map: [String: [WirePortBinding]?]) -> [PublishedPort] {
        var result: [PublishedPort] = []
        for (key, bindings) in map {
            guard let port = ContainerPort(dockerKey: key), let bindings else { continue }
            for binding in bindings {
                let ip = binding.HostIp.flatMap { $0.isEmpty ? nil : $0 }
                let hostPort = binding.HostPort.flatMap { Int($0) }.flatMap { $0 == 0 ? nil : $0 }
                result.append(PublishedPort(containerPort: port, hostIP: ip, hostPort: hostPort))
            }
        }
        return result.sorted()
    }
}

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
            let binding = WirePortBinding(
                hostIP: published.hostIP ?? "", hostPort: published.hostPort.map(String.init) ?? "")
            exposed[published.containerPort.description] = WireEmpty()
            bindings[published.containerPort.description, default: []]?.append(binding)
        }
        let host = WireHostConfig(
            binds: volumes.isEmpty ? nil : volumes.map(\.description),
            portBindings: bindings.isEmpty ? nil : bindings,
            restartPolicy: restartPolicy.map {
                WireRestartPolicy(name: $0.name, maximumRetryCount: $0.maximumRetryCount)
            },
            memory: memoryBytes,
            nanoCPUs: nanoCPUs,
            logConfig: logging.map { WireLogConfig(type: $0.driver, config: $0.options) },
            networkMode: networkMode
        )
        let config = WireContainerConfig(
            image: image,
            cmd: cmd,
            entrypoint: entrypoint,
            env: env.isEmpty ? nil : env,
            labels: labels.isEmpty ? nil : labels,
            exposedPorts: exposed.isEmpty ? nil : exposed,
            user: user,
            workingDir: workingDir,
            healthcheck: healthcheck.map { check in
                WireHealthConfig(
                    test: check.test,
                    interval: check.interval?.nanoseconds,
                    timeout: check.timeout?.nanoseconds,
                    retries: check.retries,
                    startPeriod: check.startPeriod?.nanoseconds
                )
            }
        )
        return WireCreateContainer(config: config, hostConfig: host)
    }

    /// A spec read back from an inspect answer; daemon defaults are kept as the daemon reports them
    /// (empty strings and zero limits become nil).
    init(wireConfig config: WireContainerConfig, hostConfig host: WireHostConfig) {
        let published = ContainerSpec.publishedPorts(from: host.portBindings ?? [:])
        let exposed = Set((config.exposedPorts ?? [:]).keys.compactMap(ContainerPort.init(dockerKey:)))
        self.init(
            image: config.image ?? "",
            entrypoint: config.entrypoint,
            cmd: config.cmd,
            env: config.env ?? [],
            labels: config.labels ?? [:],
            exposedPorts: exposed,
            publishedPorts: published,
            volumes: (host.binds ?? []).compactMap(VolumeBind.init(dockerBind:)),
            restartPolicy: host.restartPolicy.flatMap {
                RestartPolicy(name: $0.name ?? "", maximumRetryCount: $0.maximumRetryCount ?? 0)
            },
            memoryBytes: host.memory.flatMap { $0 == 0 ? nil : $0 },
            nanoCPUs: host.nanoCPUs.flatMap { $0 == 0 ? nil : $0 },
            logging: host.logConfig.flatMap { log in
                log.type.map { LogConfig(driver: $0, options: log.config ?? [:]) }
            },
            networkMode: host.networkMode.flatMap { $0.isEmpty ? nil : $0 },
            healthcheck: config.healthcheck.flatMap { check in
                guard let test = check.test, !test.isEmpty else { return nil }
                func duration(_ nanoseconds: Int64?) -> Duration? {
                    guard let nanoseconds, nanoseconds != 0 else { return nil }
                    return .nanoseconds(nanoseconds)
                }
                return Healthcheck(
                    test: test,
                    interval: duration(check.interval),
                    timeout: duration(check.timeout),
                    retries: check.retries.flatMap { $0 == 0 ? nil : $0 },
                    startPeriod: duration(check.startPeriod))
            },
            user: config.user.flatMap { $0.isEmpty ? nil : $0 },
            workingDir: config.workingDir.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Port bindings from Docker's `{"8080/tcp": [{"HostIp": "", "HostPort": "18080"}]}` map, sorted.
    static func publishedPorts(from map: [String: [WirePortBinding]?]) -> [PublishedPort] {
        var result: [PublishedPort] = []
        for (key, bindings) in map {
            guard let port = ContainerPort(dockerKey: key), let bindings else { continue }
            for binding in bindings {
                let ip = binding.hostIP.flatMap { $0.isEmpty ? nil : $0 }
                let hostPort = binding.hostPort.flatMap { Int($0) }.flatMap { $0 == 0 ? nil : $0 }
                result.append(PublishedPort(containerPort: port, hostIP: ip, hostPort: hostPort))
            }
        }
        return result.sorted()
    }
}

extension ContainerDetails {
    /// The field-level differences between this live container and `desired`.
    ///
    /// What the daemon fills in by itself is not drift: the image's environment, labels, exposed
    /// ports, command, entrypoint, user, working directory and health check (known when `image`,
    /// the inspected image of `desired.image`, is given), the default restart policy (`no`), the
    /// default network mode (`default` = `bridge`), an unset limit (0), the default log driver when
    /// `desired.logging` is nil, and empty versus absent values. Without `image`, fields that
    /// `desired` leaves nil are not compared, and only the environment variables and labels that
    /// `desired` names are.
    ///
    /// With `image`, a container running another image id than the one the reference names now (a
    /// tag pushed again) is reported as `imageID`.
    ///
    /// - Parameter revealEnvironmentValues: show environment values in the differences instead of
    ///   `(sensitive)`; only for output that may carry secrets.
    /// - Returns: the differences ordered by field name; empty when the container matches.
    public func differences(
        from desired: ContainerSpec, image: ImageDetails? = nil, revealEnvironmentValues: Bool = false
    ) -> [ContainerDifference] {
        let live = spec
        let defaults = image?.defaults
        var result: [ContainerDifference] = []
        func add(_ field: String, _ before: String?, _ after: String?, sensitive: Bool = false) {
            result.append(ContainerDifference(field: field, before: before, after: after, isSensitive: sensitive))
        }

        if live.image != desired.image { add("image", live.image, desired.image) }
        if let image, image.id != imageID { add("imageID", imageID, image.id) }

        // The value the daemon should hold for a field that falls back to the image: the desired
        // one, else the image's; outer nil when neither is known (the field is not compared).
        func expectation<T>(_ value: T?, _ keyPath: KeyPath<ContainerSpec, T?>) -> T?? {
            if let value { return .some(.some(value)) }
            guard let defaults else { return nil }
            return .some(defaults[keyPath: keyPath])
        }

        // Entrypoint and command: the daemon copies the image's entrypoint when none is given, and
        // the image's command only when neither entrypoint nor command is given.
        if case .some(let entrypoint) = expectation(desired.entrypoint, \.entrypoint),
            !Self.sameList(live.entrypoint, entrypoint)
        {
            add("entrypoint", Self.render(live.entrypoint), Self.render(entrypoint))
        }
        let expectedCmd: [String]?? =
            desired.cmd == nil && desired.entrypoint != nil ? .some(nil) : expectation(desired.cmd, \.cmd)
        if case .some(let cmd) = expectedCmd, !Self.sameList(live.cmd, cmd) {
            add("cmd", Self.render(live.cmd), Self.render(cmd))
        }

        // Environment and labels: desired entries over the image's.
        let liveEnv = Self.environmentMap(live.env)
        let desiredEnv = Self.environmentMap(desired.env)
        let expectedEnv = Self.environmentMap(defaults?.env ?? []).merging(desiredEnv) { _, new in new }
        let envKeys = defaults == nil ? Set(desiredEnv.keys) : Set(liveEnv.keys).union(expectedEnv.keys)
        for key in envKeys where liveEnv[key] != expectedEnv[key] {
            func show(_ value: String?) -> String? {
                revealEnvironmentValues ? value : value.map { _ in ContainerDifference.sensitiveValue }
            }
            add("env.\(key)", show(liveEnv[key]), show(expectedEnv[key]), sensitive: !revealEnvironmentValues)
        }
        let expectedLabels = (defaults?.labels ?? [:]).merging(desired.labels) { _, new in new }
        let labelKeys = defaults == nil ? Set(desired.labels.keys) : Set(live.labels.keys).union(expectedLabels.keys)
        for key in labelKeys where live.labels[key] != expectedLabels[key] {
            add("labels.\(key)", live.labels[key], expectedLabels[key])
        }

        // Ports: published ones are exposed too; the image may expose more.
        let desiredExposed = desired.exposedPorts.union(desired.publishedPorts.map(\.containerPort))
        let expectedExposed = desiredExposed.union(defaults?.exposedPorts ?? [])
        let exposedMatches =
            defaults == nil ? desiredExposed.isSubset(of: live.exposedPorts) : expectedExposed == live.exposedPorts
        if !exposedMatches {
            add(
                "exposedPorts", Self.renderItems(live.exposedPorts.sorted()), Self.renderItems(expectedExposed.sorted())
            )
        }
        if live.publishedPorts.sorted() != desired.publishedPorts.sorted() {
            add(
                "publishedPorts", Self.renderItems(live.publishedPorts.sorted()),
                Self.renderItems(desired.publishedPorts.sorted()))
        }
        if Set(live.volumes) != Set(desired.volumes) {
            add(
                "volumes", Self.renderItems(live.volumes.map(\.description).sorted()),
                Self.renderItems(desired.volumes.map(\.description).sorted()))
        }

        // Host configuration with daemon defaults.
        let liveRestart = live.restartPolicy ?? .no
        let desiredRestart = desired.restartPolicy ?? .no
        if liveRestart != desiredRestart { add("restartPolicy", liveRestart.description, desiredRestart.description) }
        if live.memoryBytes != desired.memoryBytes {
            add("memoryBytes", live.memoryBytes.map(String.init), desired.memoryBytes.map(String.init))
        }
        if live.nanoCPUs != desired.nanoCPUs {
            add("nanoCPUs", live.nanoCPUs.map(String.init), desired.nanoCPUs.map(String.init))
        }
        if let logging = desired.logging, live.logging != logging {
            add("logging", live.logging?.description, logging.description)
        }
        if Self.networkMode(live.networkMode) != Self.networkMode(desired.networkMode) {
            add("networkMode", live.networkMode, desired.networkMode ?? "default")
        }

        // Process settings that fall back to the image's.
        if let expected = Self.expectedHealthcheck(desired: desired.healthcheck, image: defaults),
            !Self.healthcheck(live.healthcheck, matches: expected.check, strictly: expected.strictly)
        {
            add("healthcheck", live.healthcheck?.description, expected.check?.description)
        }
        if case .some(let user) = expectation(desired.user, \.user), live.user != user {
            add("user", live.user, user)
        }
        if case .some(let workingDir) = expectation(desired.workingDir, \.workingDir), live.workingDir != workingDir {
            add("workingDir", live.workingDir, workingDir)
        }

        return result.sorted { $0.field < $1.field }
    }

    /// The health check the daemon should hold: the desired one with the fields it leaves nil taken
    /// from the image's (the daemon merges them field by field), or the image's when none is
    /// desired. `strictly` is false when the image is unknown: then only the fields `desired` sets
    /// can be compared. nil when nothing can be compared.
    static func expectedHealthcheck(desired: Healthcheck?, image: ContainerSpec?) -> (
        check: Healthcheck?, strictly: Bool
    )? {
        guard let desired else {
            guard let image else { return nil }
            return (image.healthcheck, true)
        }
        guard let imageCheck = image?.healthcheck else { return (desired, image != nil) }
        return (
            Healthcheck(
                test: desired.test.isEmpty ? imageCheck.test : desired.test,
                interval: desired.interval ?? imageCheck.interval,
                timeout: desired.timeout ?? imageCheck.timeout,
                retries: desired.retries ?? imageCheck.retries,
                startPeriod: desired.startPeriod ?? imageCheck.startPeriod),
            true
        )
    }

    static func healthcheck(_ live: Healthcheck?, matches expected: Healthcheck?, strictly: Bool) -> Bool {
        if strictly { return live == expected }
        guard let expected else { return true }
        guard let live else { return false }
        return live.test == expected.test
            && (expected.interval == nil || live.interval == expected.interval)
            && (expected.timeout == nil || live.timeout == expected.timeout)
            && (expected.retries == nil || live.retries == expected.retries)
            && (expected.startPeriod == nil || live.startPeriod == expected.startPeriod)
    }

    /// `KEY=VALUE` strings as a dictionary; a later entry wins, a bare `KEY` has an empty value.
    static func environmentMap(_ env: [String]) -> [String: String] {
        var map: [String: String] = [:]
        for entry in env {
            if let equals = entry.firstIndex(of: "=") {
                map[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
            } else {
                map[entry] = ""
            }
        }
        return map
    }

    /// nil and empty lists are the same.
    static func sameList(_ lhs: [String]?, _ rhs: [String]?) -> Bool { (lhs ?? []) == (rhs ?? []) }

    /// Docker reports an unspecified network mode as `default`, which is the bridge.
    static func networkMode(_ mode: String?) -> String {
        switch mode {
        case nil, "", "default", "bridge": "bridge"
        case let mode?: mode
        }
    }

    static func render(_ list: [String]?) -> String? {
        guard let list, !list.isEmpty else { return nil }
        return "[" + list.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    static func renderItems(_ items: [some CustomStringConvertible]) -> String? {
        items.isEmpty ? nil : items.map(\.description).joined(separator: ", ")
    }
}

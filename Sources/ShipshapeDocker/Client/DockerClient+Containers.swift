import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension DockerClient {
    /// Lists containers carrying every label in `labels` (`key=value`; an empty value matches any
    /// value of the key) in ONE request, with the daemon doing the filtering.
    ///
    /// - Parameter all: include stopped containers, not only running ones.
    public func listContainers(all: Bool, labels: [String: String]) async throws -> [ContainerSummary] {
        var query = [("all", all ? "1" : "0")]
        if !labels.isEmpty {
            let selectors = labels.map { $0.value.isEmpty ? $0.key : "\($0.key)=\($0.value)" }
            query.append(("filters", Self.filters(["label": selectors])))
        }
        let resource =
            labels.isEmpty
            ? "all" : labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let wire = try await get(
            [WireContainerSummary].self, "/containers/json", query: query, operation: "list containers",
            resource: "labelled \(resource)")
        return wire.map(ContainerSummary.init(wire:))
    }

    /// Inspects one container by id or name. A missing container is `DockerError.Code.notFound`.
    public func inspectContainer(_ idOrName: String) async throws -> ContainerDetails {
        let wire = try await get(
            WireContainerInspect.self, "/containers/\(idOrName)/json", operation: "inspect container",
            resource: Self.display(idOrName))
        return ContainerDetails(wire: wire)
    }

    /// Inspects one container, or returns nil when there is none by that id or name.
    public func inspectContainerIfPresent(_ idOrName: String) async throws -> ContainerDetails? {
        do {
            return try await inspectContainer(idOrName)
        } catch let error as DockerError where error.code == .notFound {
            return nil
        }
    }

    /// Creates (does not start) a container named `name`; returns its id.
    ///
    /// The image must be present locally (`pullImage` first): a missing image is `notFound`, a
    /// name already in use is `conflict`.
    public func createContainer(name: String, spec: ContainerSpec) async throws -> String {
        let body = encode(spec.wireCreate)
        let response = try await send(
            .POST, "/containers/create", query: [("name", name)], body: body, operation: "create container",
            resource: name)
        guard response.status == .created else {
            throw error(for: response, operation: "create container", resource: name)
        }
        let created = try decode(WireCreateResponse.self, from: response, operation: "create container", resource: name)
        for warning in created.warnings ?? [] where !warning.isEmpty {
            logger.warning("docker create warning", metadata: ["container": "\(name)", "docker.warning": "\(warning)"])
        }
        logger.debug(
            "created container", metadata: ["container": "\(name)", "container.id": "\(created.id.prefix(12))"])
        return created.id
    }

    /// Starts a container; starting a running container succeeds (304).
    public func startContainer(_ id: String) async throws {
        let response = try await send(
            .POST, "/containers/\(id)/start", operation: "start container", resource: Self.display(id))
        guard response.status == .noContent || response.status == .notModified else {
            throw error(for: response, operation: "start container", resource: Self.display(id))
        }
    }

    /// Stops a container: SIGTERM (or the image's stop signal), then SIGKILL after `timeout`.
    /// Stopping a stopped container succeeds (304); a missing one is `notFound`.
    public func stopContainer(_ id: String, timeout: Duration) async throws {
        let seconds = max(0, Int((Double(timeout.nanoseconds) / 1e9).rounded(.up)))
        let response = try await send(
            .POST, "/containers/\(id)/stop", query: [("t", String(seconds))], operation: "stop container",
            resource: Self.display(id), timeout: timeout + requestTimeout)
        guard response.status == .noContent || response.status == .notModified else {
            throw error(for: response, operation: "stop container", resource: Self.display(id))
        }
    }

    /// Removes a container (with `force`, a running one too) and its anonymous volumes.
    /// Removing a container that does not exist succeeds, so the call can be repeated.
    public func removeContainer(_ id: String, force: Bool) async throws {
        let response = try await send(
            .DELETE, "/containers/\(id)", query: [("force", force ? "1" : "0"), ("v", "1")],
            operation: "remove container",
            resource: Self.display(id))
        switch response.status {
        case .noContent, .notFound:
            return
        case .conflict where response.message.contains("already in progress"):
            // Another remover got there first: the outcome is the same.
            return
        default:
            throw error(for: response, operation: "remove container", resource: Self.display(id))
        }
    }

    /// Waits until the container is no longer running and returns its exit code.
    /// Throws `timeout` when it still runs after `timeout`.
    public func waitContainer(_ id: String, timeout: Duration) async throws -> Int {
        let response = try await send(
            .POST, "/containers/\(id)/wait", query: [("condition", "not-running")], operation: "wait for container",
            resource: Self.display(id), timeout: timeout)
        guard response.status == .ok else {
            throw error(for: response, operation: "wait for container", resource: Self.display(id))
        }
        let result = try decode(
            WireWaitResponse.self, from: response, operation: "wait for container", resource: Self.display(id))
        if let message = result.error?.message, !message.isEmpty {
            throw DockerError(
                code: .unexpectedStatus, operation: "wait for container", resource: Self.display(id),
                status: Int(response.status.code), message: message)
        }
        return result.statusCode
    }
}

extension DockerClient {
    /// Inspects many containers concurrently (at most `maxConcurrent` requests in flight), in the
    /// order of `ids`. Containers removed meanwhile are left out rather than failing the batch.
    public func inspectContainers(_ ids: [String], maxConcurrent: Int = 8) async throws -> [ContainerDetails] {
        try await withThrowingTaskGroup(of: (Int, ContainerDetails?).self) { group in
            var results = [ContainerDetails?](repeating: nil, count: ids.count)
            var next = 0
            func launch() {
                guard next < ids.count else { return }
                let index = next
                let id = ids[index]
                next += 1
                group.addTask { (index, try await self.inspectContainerIfPresent(id)) }
            }
            for _ in 0..<max(1, maxConcurrent) { launch() }
            while let (index, details) = try await group.next() {
                results[index] = details
                launch()
            }
            return results.compactMap { $0 }
        }
    }
}

extension DockerClient {
    /// Renames a container (e.g. the green container of a blue-green switch taking the service's
    /// name). A name already in use is `conflict`, a missing container `notFound`.
    public func renameContainer(_ idOrName: String, to newName: String) async throws {
        let response = try await send(
            .POST, "/containers/\(idOrName)/rename", query: [("name", newName)], operation: "rename container",
            resource: "\(Self.display(idOrName)) to \(newName)")
        guard response.status == .noContent else {
            throw error(
                for: response, operation: "rename container", resource: "\(Self.display(idOrName)) to \(newName)")
        }
    }
}

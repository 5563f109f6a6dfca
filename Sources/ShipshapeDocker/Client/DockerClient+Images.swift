import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension DockerClient {
    /// Pulls `reference` (`host:port/repo:tag`, `repo@sha256:…`; no tag means `latest`) and waits
    /// until the daemon has it.
    ///
    /// The daemon answers with a stream of JSON progress lines; they are consumed (logged at debug)
    /// and an `error` line is thrown as `DockerError` (`pullFailed`, or `unauthorized` when the
    /// registry refused the credentials) naming the image.
    /// - Returns: whether new content was downloaded, and the daemon's final status line.
    @discardableResult
    public func pullImage(_ reference: String, auth: RegistryAuth?) async throws -> PullSummary {
        let operation = "pull image"
        let (name, tagOrDigest) = Self.splitReference(reference)
        var headers: [(String, String)] = []
        if let auth { headers.append(("X-Registry-Auth", auth.headerValue)) }
        let started = ContinuousClock.now
        let response = try await open(
            .POST, "/images/create", query: [("fromImage", name), ("tag", tagOrDigest)], headers: headers,
            operation: operation, resource: reference, timeout: pullTimeout)
        guard response.status == .ok else {
            let body = (try? await response.body.collect(upTo: Self.maxBodyBytes)) ?? ByteBuffer()
            let failure = error(
                for: DockerResponse(status: response.status, body: body), operation: operation, resource: reference)
            throw Self.classifyPullError(failure, reference: reference)
        }
        var pending = ByteBuffer()
        var lastStatus = ""
        do {
            for try await var chunk in response.body {
                pending.writeBuffer(&chunk)
                while let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                    let length = newline - pending.readerIndex
                    let line = pending.readSlice(length: length)!
                    pending.moveReaderIndex(forwardBy: 1)
                    if let status = try handleProgressLine(line, reference: reference) { lastStatus = status }
                }
                pending.discardReadBytes()
            }
        } catch let error as DockerError {
            throw error
        } catch {
            throw transportError(error, operation: operation, resource: reference)
        }
        if pending.readableBytes > 0, let status = try handleProgressLine(pending, reference: reference) {
            lastStatus = status
        }
        let summary = PullSummary(
            reference: reference, downloadedNewContent: lastStatus.contains("Downloaded newer image"),
            status: lastStatus)
        logger.info(
            "pulled image",
            metadata: [
                "image": "\(reference)", "docker.status": "\(lastStatus)",
                "docker.duration_ms": "\((ContinuousClock.now - started).milliseconds)",
            ])
        return summary
    }

    /// Inspects an image by reference or id; nil when the daemon does not have it.
    public func inspectImage(_ reference: String) async throws -> ImageDetails? {
        let response = try await send(
            .GET, "/images/\(reference)/json", operation: "inspect image", resource: reference)
        switch response.status {
        case .ok:
            return ImageDetails(
                wire: try decode(WireImageInspect.self, from: response, operation: "inspect image", resource: reference)
            )
        case .notFound:
            return nil
        default:
            throw error(for: response, operation: "inspect image", resource: reference)
        }
    }

    /// Handles one progress line; returns its status text, throws on an error line.
    private func handleProgressLine(_ line: ByteBuffer, reference: String) throws -> String? {
        guard line.readableBytes > 0 else { return nil }
        guard let progress = try? JSONDecoder().decode(WireProgressLine.self, from: line) else {
            logger.debug("unreadable pull progress line", metadata: ["image": "\(reference)"])
            return nil
        }
        if let message = progress.errorDetail?.message ?? progress.error {
            throw Self.classifyPullError(
                DockerError(code: .pullFailed, operation: "pull image", resource: reference, message: message),
                reference: reference)
        }
        var metadata: Logger.Metadata = ["image": "\(reference)", "docker.status": "\(progress.status ?? "")"]
        if let id = progress.id { metadata["docker.layer"] = "\(id)" }
        logger.debug("pull progress", metadata: metadata)
        return progress.status
    }

    /// Marks credential refusals as `unauthorized` so callers can refresh a token.
    static func classifyPullError(_ error: DockerError, reference: String) -> DockerError {
        let lowered = error.message.lowercased()
        let refused = [
            "unauthorized", "authentication required", "no basic auth credentials", "denied:",
            "access to the resource is denied",
        ]
        let code: DockerError.Code =
            refused.contains(where: lowered.contains)
            ? .unauthorized : error.code == .notFound ? .notFound : .pullFailed
        return DockerError(
            code: code, operation: error.operation, resource: reference, status: error.status, message: error.message)
    }

    /// Splits `host:port/repo:tag` into the name and the tag (or digest) for `POST /images/create`.
    /// A reference with neither gets `latest`, as the docker CLI does (the daemon would pull every tag).
    static func splitReference(_ reference: String) -> (name: String, tagOrDigest: String) {
        if let at = reference.firstIndex(of: "@") {
            return (String(reference[..<at]), String(reference[reference.index(after: at)...]))
        }
        let lastSlash = reference.lastIndex(of: "/")
        if let colon = reference.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
        }
        return (reference, "latest")
    }
}

extension DockerClient {
    /// Lists images, filtered by the daemon in one request.
    ///
    /// - Parameters:
    ///   - reference: a reference pattern (`"127.0.0.1:5000/api"`, `"api:1.*"`), or nil for all.
    ///   - labels: labels every image must carry (`key=value`; an empty value matches any value).
    ///   - danglingOnly: only untagged images.
    public func listImages(reference: String? = nil, labels: [String: String] = [:], danglingOnly: Bool = false)
        async throws -> [ImageSummary]
    {
        var filters: [String: [String]] = [:]
        if let reference { filters["reference"] = [reference] }
        if !labels.isEmpty { filters["label"] = labels.map { $0.value.isEmpty ? $0.key : "\($0.key)=\($0.value)" } }
        if danglingOnly { filters["dangling"] = ["true"] }
        let query = filters.isEmpty ? [] : [("filters", Self.filters(filters))]
        let wire = try await get(
            [WireImageSummary].self, "/images/json", query: query, operation: "list images",
            resource: reference ?? "all")
        return wire.map(ImageSummary.init(wire:))
    }

    /// Removes an image (a tag, or an image by id). An image already gone is success.
    ///
    /// - Parameter force: also untag an image that has several tags and remove one used by a
    ///   stopped container.
    /// - Throws: `DockerError` `conflict` when a container uses the image; its message names the
    ///   container and the error says to remove the container first.
    public func removeImage(_ reference: String, force: Bool = false) async throws {
        let resource = Self.display(reference)
        let response = try await send(
            .DELETE, "/images/\(reference)", query: [("force", force ? "1" : "0"), ("noprune", "0")],
            operation: "remove image", resource: resource)
        switch response.status {
        case .ok, .notFound:
            return
        case .conflict:
            throw DockerError(
                code: .conflict, operation: "remove image", resource: resource, status: 409, message: response.message,
                hint: "Remove the containers using it first")
        default:
            throw error(for: response, operation: "remove image", resource: resource)
        }
    }
}

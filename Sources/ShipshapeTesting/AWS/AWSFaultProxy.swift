import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A recording, fault-injecting HTTP proxy between a client and moto, on a free loopback port.
///
/// Point the client's endpoint at `endpoint`; every request is recorded (`calls`: the Query
/// `Action` or the operation of `X-Amz-Target`, the signing service, the status sent back) and
/// forwarded to `upstream`, unless a queued `Fault` matches it first. Faults are consumed in order:
/// `inject(.throttle(.ec2), times: 2)` answers the next two matching requests with EC2's
/// `RequestLimitExceeded` and lets the third through.
public final class AWSFaultProxy: Sendable {
    /// The shape of a throttling error body.
    public enum ErrorStyle: Sendable {
        /// EC2: HTTP 503, `<Response><Errors><Error><Code>RequestLimitExceeded`.
        case ec2
        /// awsquery (RDS, ELBv2, STS): HTTP 400, `<ErrorResponse><Error><Code>Throttling`.
        case awsQuery
        /// JSON 1.0/1.1: HTTP 400, `{"__type": "ThrottlingException"}`.
        case json
    }

    /// What to do instead of (or before) forwarding a request.
    public enum Fault: Sendable {
        /// Answer with the service's throttling error.
        case throttle(ErrorStyle)
        /// Answer with `status` and an empty body (e.g. 503, 500).
        case status(Int)
        /// Answer with `status`, `body` and `contentType` as given.
        case response(status: Int, body: String, contentType: String)
        /// Wait, then forward.
        case delay(Duration)
        /// Close the connection without answering.
        case dropConnection
    }

    /// One request the proxy saw.
    public struct Call: Sendable, Hashable {
        /// The Query `Action`, or the part of `X-Amz-Target` after the dot.
        public var action: String
        /// The signing service from the Authorization header's credential scope (`ec2`, `ecs`).
        public var service: String
        /// The status returned to the client (0 for a dropped connection).
        public var status: Int
        /// The fault applied, if any (`throttle`, `status`, `delay`, `drop`).
        public var fault: String?
        /// The raw request body.
        public var body: String
        /// The access key id that signed the request (the first part of the credential scope), so a
        /// test with several clients can tell whose call it was.
        public var accessKeyID: String = ""
    }

    private struct Rule: Sendable {
        var action: String?
        var remaining: Int
        var fault: Fault
    }

    private struct State: Sendable {
        var rules: [Rule] = []
        var calls: [Call] = []
        var skewTolerance: TimeInterval?
    }

    public let upstream: URL
    public let port: Int
    /// Forwards one request at a time. moto's server is threaded and its DynamoDB condition check
    /// and write are not one atomic step, so concurrent conditional writes can both succeed there;
    /// in DynamoDB they cannot. A lease test serializes, so it checks the lease protocol, not moto.
    public let serialized: Bool
    private let oneAtATime = AsyncMutex()
    private let state = Mutex(State())
    private let httpClient: HTTPClient
    private let serverChannel: any Channel
    private let serveTask: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// `http://127.0.0.1:PORT` of the proxy.
    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Starts a proxy forwarding to `upstream` (moto's endpoint).
    public static func start(upstream: URL, serialized: Bool = false) async throws -> AWSFaultProxy {
        try await AWSFaultProxy(upstream: upstream, serialized: serialized)
    }

    private init(upstream: URL, serialized: Bool) async throws {
        self.upstream = upstream
        self.serialized = serialized
        httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        serverChannel = server.channel
        guard let port = server.channel.localAddress?.port else {
            throw HarnessError("the AWS fault proxy could not read its own port")
        }
        self.port = port
        // The accept loop is never cancelled: a connection NIO accepted must be handed to `serve`
        // (whose `executeThenClose` finishes its writer), or its deinit traps. `stop()` closes the
        // listener instead; the loop then takes what was already accepted, and ends the keep-alive
        // connections by cancelling their tasks.
        let task = Task<Void, Never> {
            _ = try? await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                    group.cancelAll()
                }
            }
        }
        serveTask.withLock { $0 = task }
    }

    /// Starts moto and a proxy in front of it, runs `body`, and stops both whatever happens.
    public static func withMoto<T>(
        region: String = "us-east-1", motoEnvironment: [String: String] = [:], serialized: Bool = false,
        _ body: (MotoServer, AWSFaultProxy) async throws -> T
    ) async throws -> T {
        let moto = try await MotoServer.start(region: region, environment: motoEnvironment)
        let proxy: AWSFaultProxy
        do {
            proxy = try await start(upstream: moto.endpoint, serialized: serialized)
        } catch {
            await moto.stop()
            throw error
        }
        do {
            let result = try await body(moto, proxy)
            await proxy.stop()
            await moto.stop()
            return result
        } catch {
            await proxy.stop()
            await moto.stop()
            throw error
        }
    }

    /// Stops listening, ends open connections, and closes the proxy's upstream client.
    public func stop() async {
        try? await serverChannel.close()
        await serveTask.withLock { $0 }?.value
        try? await httpClient.shutdown()
    }

    /// Queues `fault` for the next `times` requests whose action is `action` (any action when nil).
    public func inject(_ fault: Fault, times: Int = 1, action: String? = nil) {
        state.withLock { $0.rules.append(Rule(action: action, remaining: times, fault: fault)) }
    }

    /// Answers requests whose `X-Amz-Date` is more than `tolerance` from the proxy's clock with
    /// `RequestTimeTooSkewed` (HTTP 403, with a `Date` header) as AWS does; nil turns it off.
    public func rejectSkewedRequests(tolerance: TimeInterval?) {
        state.withLock { $0.skewTolerance = tolerance }
    }

    /// Every request seen, in order.
    public var calls: [Call] { state.withLock { $0.calls } }

    /// The actions of `calls`, in order.
    public var actions: [String] { calls.map(\.action) }

    /// The calls whose action is in `mutating` (pass `AWSAction.mutatingNames`).
    public func calls(in names: Set<String>) -> [Call] { calls.filter { names.contains($0.action) } }

    /// Forgets recorded calls (queued faults stay).
    public func clearRecording() { state.withLock { $0.calls.removeAll() } }

    // MARK: Serving

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.clear()
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let head else { return }
                    let keepOpen = try await self.answer(head: head, body: body, outbound: outbound)
                    if !keepOpen { return }
                }
            }
        }
    }

    /// Answers one request; returns false when the connection must be closed.
    private func answer(
        head: HTTPRequestHead, body: ByteBuffer, outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws -> Bool {
        let bodyText = String(buffer: body)
        let action = Self.action(head: head, body: bodyText)
        let scope = Self.credentialScope(head: head)
        let service = scope.count >= 4 ? scope[3] : ""
        let accessKeyID = scope.first ?? ""
        let (fault, tolerance): (Fault?, TimeInterval?) = state.withLock { state in
            guard let index = state.rules.firstIndex(where: { $0.action == nil || $0.action == action }) else {
                return (nil, state.skewTolerance)
            }
            let fault = state.rules[index].fault
            state.rules[index].remaining -= 1
            if state.rules[index].remaining <= 0 { state.rules.remove(at: index) }
            return (fault, state.skewTolerance)
        }
        @Sendable func record(_ status: Int, _ label: String?) {
            state.withLock {
                $0.calls.append(
                    Call(
                        action: action, service: service, status: status, fault: label, body: bodyText,
                        accessKeyID: accessKeyID))
            }
        }

        if let tolerance, let amzDate = head.headers.first(name: "x-amz-date"), let signed = Self.amzDate(amzDate),
            abs(signed.timeIntervalSinceNow) > tolerance
        {
            let style: ErrorStyle = head.headers.contains(name: "x-amz-target") ? .json : .ec2
            let (status, text, type) = Self.errorBody(
                style: style, code: "RequestTimeTooSkewed",
                message: "The difference between the request time and the current time is too large.", status: 403)
            record(status, "skew")
            try await write(status: status, body: text, contentType: type, to: outbound)
            return true
        }

        switch fault {
        case .throttle(let style):
            let (status, text, type) = Self.throttleBody(style)
            record(status, "throttle")
            try await write(status: status, body: text, contentType: type, to: outbound)
            return true
        case .status(let status):
            record(status, "status")
            try await write(status: status, body: "", contentType: "text/plain", to: outbound)
            return true
        case .response(let status, let text, let type):
            record(status, "response")
            try await write(status: status, body: text, contentType: type, to: outbound)
            return true
        case .dropConnection:
            record(0, "drop")
            return false
        case .delay(let duration):
            try await Task.sleep(for: duration)
            return try await forward(head: head, body: body, outbound: outbound, record: { record($0, "delay") })
        case nil:
            guard serialized else {
                return try await forward(head: head, body: body, outbound: outbound, record: { record($0, nil) })
            }
            return try await oneAtATime.withLock {
                try await forward(head: head, body: body, outbound: outbound, record: { record($0, nil) })
            }
        }
    }

    private func forward(
        head: HTTPRequestHead, body: ByteBuffer, outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        record: (Int) -> Void
    ) async throws -> Bool {
        var request = HTTPClientRequest(url: upstream.absoluteString.trimmingSuffix("/") + head.uri)
        request.method = head.method
        for header in head.headers where !["content-length", "connection", "transfer-encoding"].contains(header.name.lowercased()) {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(body)
        let response: HTTPClientResponse
        let responseBody: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: .seconds(120))
            responseBody = try await response.body.collect(upTo: 256 << 20)
        } catch {
            record(502)
            try await write(status: 502, body: "proxy: upstream failed: \(error)", contentType: "text/plain", to: outbound)
            return true
        }
        record(Int(response.status.code))
        var headers = HTTPHeaders()
        for header in response.headers
        where !["content-length", "connection", "transfer-encoding"].contains(header.name.lowercased()) {
            headers.add(name: header.name, value: header.value)
        }
        headers.replaceOrAdd(name: "content-length", value: String(responseBody.readableBytes))
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: response.status, headers: headers)))
        try await outbound.write(.body(.byteBuffer(responseBody)))
        try await outbound.write(.end(nil))
        return true
    }

    private func write(
        status: Int, body: String, contentType: String, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.utf8.count))
        headers.add(name: "x-amzn-requestid", value: "proxy-\(UUID().uuidString)")
        headers.add(name: "date", value: Self.httpDate(Date()))
        try await outbound.write(
            .head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)))
        try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body))))
        try await outbound.write(.end(nil))
    }

    // MARK: Helpers

    static func action(head: HTTPRequestHead, body: String) -> String {
        if let target = head.headers.first(name: "x-amz-target") {
            return target.split(separator: ".").last.map(String.init) ?? target
        }
        for pair in body.split(separator: "&") where pair.hasPrefix("Action=") {
            return String(pair.dropFirst("Action=".count)).removingPercentEncoding ?? String(pair.dropFirst(7))
        }
        if let query = head.uri.split(separator: "?", maxSplits: 1).dropFirst().first {
            for pair in query.split(separator: "&") where pair.hasPrefix("Action=") { return String(pair.dropFirst(7)) }
        }
        return "\(head.method.rawValue) \(head.uri)"
    }

    /// The Authorization header's `Credential=KEY/DATE/REGION/SERVICE/aws4_request`, split at `/`
    /// (empty for an unsigned request).
    static func credentialScope(head: HTTPRequestHead) -> [String] {
        guard let authorization = head.headers.first(name: "authorization"),
            let range = authorization.range(of: "Credential=")
        else { return [] }
        return authorization[range.upperBound...].prefix { $0 != "," }.split(separator: "/").map(String.init)
    }

    static func throttleBody(_ style: ErrorStyle) -> (Int, String, String) {
        switch style {
        case .ec2: errorBody(style: .ec2, code: "RequestLimitExceeded", message: "Request limit exceeded.", status: 503)
        case .awsQuery: errorBody(style: .awsQuery, code: "Throttling", message: "Rate exceeded", status: 400)
        case .json: errorBody(style: .json, code: "ThrottlingException", message: "Rate exceeded", status: 400)
        }
    }

    static func errorBody(style: ErrorStyle, code: String, message: String, status: Int) -> (Int, String, String) {
        let id = UUID().uuidString
        switch style {
        case .ec2:
            return (
                status,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>\(code)</Code><Message>\(message)</Message></Error></Errors><RequestID>\(id)</RequestID></Response>",
                "text/xml"
            )
        case .awsQuery:
            return (
                status,
                "<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error><RequestId>\(id)</RequestId></ErrorResponse>",
                "text/xml"
            )
        case .json:
            return (status, "{\"__type\":\"\(code)\",\"message\":\"\(message)\"}", "application/x-amz-json-1.1")
        }
    }

    static func amzDate(_ value: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: value)
    }

    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// A lock held across suspension points: waiters queue in arrival order.
private actor AsyncMutex {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if locked {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            locked = true
        }
        defer {
            if waiters.isEmpty { locked = false } else { waiters.removeFirst().resume() }
        }
        return try await body()
    }
}

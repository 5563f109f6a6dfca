import Foundation
import Synchronization
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP server on 127.0.0.1 that records every request and answers with what the test's
/// responder says. It stands in for services a test cannot reach (Slack, the GitHub API, a webhook
/// receiver) so the test can assert exactly what was sent.
public final class RecordingHTTPServer: Sendable {
    /// One recorded request.
    public struct Request: Sendable {
        public var method: String
        /// The request target: path and query.
        public var uri: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        /// The first value of header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }

        /// The body parsed as a JSON object or array.
        public func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(body)) }
    }

    /// What the server answers.
    public struct Response: Sendable {
        public var status: Int
        public var body: String

        public init(status: Int = 200, body: String = "ok") {
            self.status = status
            self.body = body
        }
    }

    /// Port on 127.0.0.1.
    public let port: Int
    private let channel: any Channel
    private let recorded: Recorded

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    final class Recorded: Sendable {
        private let lock = Mutex<[Request]>([])
        func append(_ request: Request) { lock.withLock { $0.append(request) } }
        var all: [Request] { lock.withLock { $0 } }
    }

    private init(port: Int, channel: any Channel, recorded: Recorded) {
        self.port = port
        self.channel = channel
        self.recorded = recorded
    }

    /// Starts the server on a free port. `respond` is asked for each request after it is recorded.
    public static func start(
        respond: @escaping @Sendable (Request) async -> Response = { _ in Response() }
    ) async throws -> RecordingHTTPServer {
        let recorded = Recorded()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(Handler(recorded: recorded, respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else { throw HarnessError("recording server did not bind a port") }
        return RecordingHTTPServer(port: port, channel: channel, recorded: recorded)
    }

    /// Every request so far, in arrival order.
    public var requests: [Request] { recorded.all }

    /// Waits until at least `count` requests have arrived (polling every 20 ms) and returns them all.
    /// The default bound is generous: the test hosts run many builds at once.
    @discardableResult
    public func waitForRequests(_ count: Int, timeout: Duration = .seconds(60)) async throws -> [Request] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let all = recorded.all
            if all.count >= count { return all }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("recording server on port \(port): expected \(count) request(s) within \(timeout), got \(recorded.all.count)")
    }

    /// Closes the listening socket.
    public func stop() async {
        try? await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let recorded: Recorded
        let respond: @Sendable (Request) async -> Response
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(recorded: Recorded, respond: @escaping @Sendable (Request) async -> Response) {
            self.recorded = recorded
            self.respond = respond
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head else { return }
                let request = Request(
                    method: head.method.rawValue, uri: head.uri,
                    headers: head.headers.map { (name: $0.name, value: $0.value) }, body: body)
                recorded.append(request)
                let keepAlive = head.isKeepAlive
                let version = head.version
                let respond = respond
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                let promise = context.eventLoop.makePromise(of: Response.self)
                promise.completeWithTask { await respond(request) }
                promise.futureResult.whenSuccess { response in
                    let context = bound.value
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: "text/plain")
                    headers.add(name: "Content-Length", value: "\(response.body.utf8.count)")
                    if !keepAlive { headers.add(name: "Connection", value: "close") }
                    let status = HTTPResponseStatus(statusCode: response.status)
                    context.write(Self.wrap(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
                    context.write(Self.wrap(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
                    let channel = context.channel
                    context.writeAndFlush(Self.wrap(.end(nil))).whenComplete { _ in
                        if !keepAlive { channel.close(promise: nil) }
                    }
                }
                self.head = nil
            }
        }

        static func wrap(_ part: HTTPServerResponsePart) -> NIOAny { NIOAny(part) }
    }
}

public import Hummingbird
import Foundation
public import Logging
import NIOCore

/// The controller's HTTP server: `/metrics`, `/healthz`, `/readyz`, `/api/v1/status` and the admin
/// API (`AdminRoutes`).
///
/// It binds to 127.0.0.1 by default (`listen` in the configuration). The framework's own request
/// metrics are not installed: every series on `/metrics` is Shipshape's, with help texts.
public enum HTTPServer {
    /// Builds the application; `onListening` receives the bound port (useful with port 0).
    public static func application(
        host: String,
        port: Int,
        metrics: ShipshapeMetrics,
        status: StatusBoard,
        admin: AdminActions,
        adminToken: String?,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        AdminRoutes(actions: admin, token: adminToken).register(on: router)
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/readyz") { _, _ in
            let ready = await status.isReady
            return Response(
                status: ready ? .ok : .serviceUnavailable,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "not ready: first reconcile pending\n"))
            )
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render()))
            )
        }
        router.get("/api/v1/status") { _, _ in
            try json(await status.snapshot())
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? port)
            },
            logger: logger
        )
    }
}

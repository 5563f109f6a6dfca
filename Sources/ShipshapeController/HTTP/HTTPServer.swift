public import Hummingbird
import Foundation
public import Logging
import NIOCore
public import ShipshapeGit

/// The controller's HTTP server: `/metrics`, `/healthz`, `/readyz`, `/api/v1/status` and the admin
/// API (`AdminRoutes`).
///
/// It binds to 127.0.0.1 by default (`listen` in the configuration). The framework's own request
/// metrics are not installed: every series on `/metrics` is Shipshape's, with help texts.
public enum HTTPServer {
    /// What the webhook endpoint needs: the verifier (holding the secret), what is followed, and the
    /// source loop's trigger.
    public struct WebhookSettings: Sendable {
        public var verifier: GitHubWebhook
        public var repositoryURL: String
        public var repository: String?
        public var ref: GitRef
        public var trigger: Trigger

        public init(verifier: GitHubWebhook, repositoryURL: String, repository: String?, ref: GitRef, trigger: Trigger) {
            self.verifier = verifier
            self.repositoryURL = repositoryURL
            self.repository = repository
            self.ref = ref
            self.trigger = trigger
        }
    }

    /// Builds the application; `onListening` receives the bound port (useful with port 0).
    public static func application(
        host: String,
        port: Int,
        metrics: ShipshapeMetrics,
        status: StatusBoard,
        admin: AdminActions,
        adminToken: String?,
        webhook: WebhookSettings? = nil,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        AdminRoutes(actions: admin, token: adminToken).register(on: router)
        if let webhook {
            WebhookRoutes(
                webhook: webhook.verifier, repositoryURL: webhook.repositoryURL, repository: webhook.repository,
                ref: webhook.ref, trigger: webhook.trigger, metrics: metrics, logger: logger
            ).register(on: router)
        }
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

import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ShipshapeGit

/// `POST /hooks/github`: GitHub push webhooks wake the source loop, which fetches at once.
///
/// The body is read up to the size cap (413 beyond it), the `X-Hub-Signature-256` HMAC is checked
/// in constant time against the secret from `git.webhook.secretFile` (401 when missing or wrong:
/// nothing happens), `ping` is answered, and pushes for other repositories or refs are ignored
/// (202). A burst of pushes coalesces into one fetch: the trigger holds at most one pending wake-up.
struct WebhookRoutes: Sendable {
    let webhook: GitHubWebhook
    let repositoryURL: String
    /// `owner/name` the pushes must name, when the config URL cannot be compared (a mirror, a file URL).
    let repository: String?
    let ref: GitRef
    let trigger: Trigger
    let metrics: ShipshapeMetrics
    let logger: Logger

    func register(on router: Router<BasicRequestContext>) {
        router.post("hooks/github") { request, _ in
            try await handle(request)
        }
    }

    private func handle(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: webhook.maximumBodySize)
        } catch {
            return answer(413, "rejected", "body larger than \(webhook.maximumBodySize) bytes")
        }
        let event: GitHubWebhookEvent
        do {
            event = try webhook.event(
                name: request.headers[.init("X-GitHub-Event")!],
                signature: request.headers[.init("X-Hub-Signature-256")!],
                body: body.readableBytesView)
        } catch let error as GitHubWebhookError {
            logger.warning("Webhook refused", metadata: ["error": "\(error)", "http.status": "\(error.httpStatus)"])
            return answer(error.httpStatus, "rejected", error.description)
        }
        switch event {
        case .ping:
            return answer(200, "ping", "pong")
        case .push(let push):
            guard matches(push) else {
                return answer(202, "ignored", "push to \(push.repositoryFullName) \(push.ref) is not what this controller follows")
            }
            await trigger.fire()
            logger.info("Webhook: fetching now", metadata: ["git.ref": "\(push.ref)", "after": "\(push.after.prefix(12))"])
            return answer(202, "accepted", "fetch started")
        case .other(let name):
            return answer(202, "ignored", "event \(name) is not handled")
        }
    }

    private func matches(_ push: GitHubPush) -> Bool {
        if let repository {
            guard push.repositoryFullName.lowercased() == repository.lowercased() else { return false }
            // The repository is settled; compare the ref against the push's own URL.
            guard let own = push.cloneURL ?? push.htmlURL ?? push.sshURL else { return false }
            return push.matches(repositoryURL: own, following: ref)
        }
        return push.matches(repositoryURL: repositoryURL, following: ref)
    }

    private func answer(_ status: Int, _ result: String, _ message: String) -> Response {
        metrics.webhooks(result: result).increment()
        return (try? json(["result": result, "message": message], status: HTTPResponse.Status(code: status)))
            ?? Response(status: HTTPResponse.Status(code: status))
    }
}

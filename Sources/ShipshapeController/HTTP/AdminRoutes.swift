import Crypto
import Foundation
import Hummingbird
import NIOCore

/// The admin API under `/api/v1/environments/ENV/…`.
///
/// Reads (`history`) are open like `/api/v1/status`; state-changing requests need
/// `Authorization: Bearer TOKEN` with the token from `admin.tokenFile`, compared in constant time.
/// Without a configured token they are refused (403): there is no way to change state anonymously.
struct AdminRoutes: Sendable {
    let actions: AdminActions
    /// SHA-256 of the token; nil disables state-changing endpoints.
    let tokenDigest: SHA256Digest?

    init(actions: AdminActions, token: String?) {
        self.actions = actions
        tokenDigest = token.map { SHA256.hash(data: Array($0.utf8)) }
    }

    struct ApproveBody: Decodable { var plan: String }
    struct RollbackBody: Decodable { var revision: String }

    func register(on router: Router<BasicRequestContext>) {
        let group = router.group("api/v1/environments/:env")
        group.get("history") { _, context in
            let env = try context.parameters.require("env")
            return try await json(actions.history(env))
        }
        group.post("suspend") { request, context in
            try await mutate(request, context) { env in try await actions.suspend(env); return ["suspended": env] }
        }
        group.post("resume") { request, context in
            try await mutate(request, context) { env in try await actions.resume(env); return ["resumed": env] }
        }
        group.post("unpin") { request, context in
            try await mutate(request, context) { env in try await actions.unpin(env); return ["unpinned": env] }
        }
        group.post("reconcile") { request, context in
            try await mutate(request, context) { env in try await actions.reconcile(env); return ["triggered": env] }
        }
        group.post("approve") { request, context in
            try await mutate(request, context) { env in
                let body = try await request.decode(as: ApproveBody.self, context: context)
                try await actions.approve(env, plan: body.plan)
                return ["approved": body.plan]
            }
        }
        group.post("rollback") { request, context in
            try await mutate(request, context) { env in
                let body = try await request.decode(as: RollbackBody.self, context: context)
                let pinned = try await actions.rollback(env, to: body.revision)
                return ["pinned": pinned]
            }
        }
    }

    private func mutate(
        _ request: Request, _ context: BasicRequestContext, _ body: (String) async throws -> [String: String]
    ) async throws -> Response {
        guard let tokenDigest else {
            return message(.forbidden, "admin API disabled: set admin.tokenFile in the controller configuration")
        }
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "),
            SHA256.hash(data: Array(header.dropFirst("Bearer ".count).utf8)) == tokenDigest
        else {
            // Digest equality is constant-time in swift-crypto, and hashing first hides the length.
            return message(.unauthorized, "missing or wrong bearer token")
        }
        let env = try context.parameters.require("env")
        do {
            return try json(try await body(env))
        } catch let refusal as AdminActions.Refusal {
            return message(HTTPResponse.Status(code: refusal.status), refusal.description)
        }
    }

    private func message(_ status: HTTPResponse.Status, _ text: String) -> Response {
        (try? json(["error": text], status: status)) ?? Response(status: status)
    }
}

/// A JSON response with sorted keys, dates in ISO 8601 and unescaped slashes.
func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return Response(
        status: status,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
    )
}

import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// The transport every typed client (`EC2Client`, `ECSClient`, …) shares: endpoint resolution,
/// SigV4 signing, retries in the SDKs' standard mode, clock-skew correction, and error decoding.
///
/// One `AWSClient` per region and credential source; it is `Sendable` and meant to be shared. When
/// it creates its own `HTTPClient` (no `httpClient` given), `shutdown()` must be called before the
/// client is released: AsyncHTTPClient traps when a client is deinitialised while still running.
///
/// Retries follow `RetryPolicy` (the SDKs' standard mode). Like the SDKs, a mutating call whose
/// connection broke is retried too, so a caller may see `InvalidPermission.Duplicate` (or a similar
/// "already done" error) for a change that the first attempt did apply.
///
/// Clock skew: when a call fails with a skew-related code (`RequestTimeTooSkewed`, `RequestExpired`,
/// `SignatureDoesNotMatch`, `InvalidSignatureException`, `AuthFailure`) and the response's `Date`
/// header is more than `Configuration.skewThreshold` away from the client's clock, the client stores
/// the offset, signs with the corrected time from then on, and retries that call once.
public final class AWSClient: Sendable {
    /// How the client behaves. Tests replace `now`, `sleep` and `retry.jitter`.
    public struct Configuration: Sendable {
        public var region: String
        /// An endpoint for every service, overriding the environment and the defaults.
        public var endpoint: URL?
        /// Where `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` are read from.
        public var environment: [String: String]
        public var retry: RetryPolicy
        /// Time allowed for one attempt (connect, send, full response).
        public var attemptTimeout: Duration
        /// Largest response body accepted.
        public var maxResponseBytes: Int
        /// Clock difference that counts as skew when a response carries a `Date` header.
        public var skewThreshold: TimeInterval
        /// The clock requests are signed with (before the skew offset is added).
        public var now: @Sendable () -> Date
        /// How the client waits between attempts.
        public var sleep: @Sendable (Duration) async throws -> Void

        public init(
            region: String,
            endpoint: URL? = nil,
            environment: [String: String] = ProcessInfo.processInfo.environment,
            retry: RetryPolicy = .standard,
            attemptTimeout: Duration = .seconds(30),
            maxResponseBytes: Int = 64 << 20,
            skewThreshold: TimeInterval = 60,
            now: @escaping @Sendable () -> Date = { Date() },
            sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
        ) {
            self.region = region
            self.endpoint = endpoint
            self.environment = environment
            self.retry = retry
            self.attemptTimeout = attemptTimeout
            self.maxResponseBytes = maxResponseBytes
            self.skewThreshold = skewThreshold
            self.now = now
            self.sleep = sleep
        }
    }

    /// A response as received: status, headers, body.
    public struct RawResponse: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data
    }

    public let configuration: Configuration
    public let credentialProvider: any CredentialProvider
    public let logger: Logger
    let httpClient: HTTPClient
    private let ownsHTTPClient: Bool
    private let offset = Mutex<TimeInterval>(0)
    private let quota: Mutex<Int>
    let resolver: AWSEndpointResolver

    /// Creates a client. Without `httpClient`, the client makes its own (shut it down with `shutdown()`).
    public init(
        configuration: Configuration,
        credentialProvider: any CredentialProvider,
        httpClient: HTTPClient? = nil,
        logger: Logger
    ) {
        self.configuration = configuration
        quota = Mutex(configuration.retry.retryQuota ?? Int.max)
        self.credentialProvider = credentialProvider
        self.logger = logger
        if let httpClient {
            self.httpClient = httpClient
            ownsHTTPClient = false
        } else {
            var http = HTTPClient.Configuration()
            http.timeout = .init(connect: .seconds(10))
            http.connectionPool.idleTimeout = .seconds(30)
            self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
            ownsHTTPClient = true
        }
        resolver = AWSEndpointResolver(explicitEndpoint: configuration.endpoint, environment: configuration.environment)
    }

    /// Shuts down the HTTP client if this client created it.
    public func shutdown() async throws {
        if ownsHTTPClient { try await httpClient.shutdown() }
    }

    /// Seconds added to the local clock when signing, learnt from a skew error (0 until then).
    public var clockOffset: TimeInterval { offset.withLock { $0 } }

    /// Tokens left in the retry quota (see `RetryPolicy`).
    public var retryQuotaRemaining: Int { quota.withLock { $0 } }

    /// The endpoint `service` is reached at.
    public func endpoint(for service: AWSService) -> URL {
        resolver.endpoint(for: service, region: configuration.region)
    }

    // MARK: Sending

    /// Sends `body` for `action` with retries and returns the successful response, or throws `AWSError`.
    func send(
        _ action: AWSAction, body: [UInt8], contentType: String, extraHeaders: [(String, String)] = []
    ) async throws -> RawResponse {
        var attempt = 0
        var correctedSkew = false
        var lastRetryCost = 0
        while true {
            attempt += 1
            let failure: AWSError
            var skewRetry = false
            do {
                let response = try await attemptOnce(action, body: body, contentType: contentType, extraHeaders: extraHeaders)
                if (200..<300).contains(response.status) {
                    refund(attempt == 1 ? 1 : lastRetryCost)
                    logger.trace(
                        "aws call succeeded",
                        metadata: ["aws.operation": "\(action.iamAction)", "aws.attempt": "\(attempt)"])
                    return response
                }
                var error = decodeError(response, action: action)
                error.attempts = attempt
                if !correctedSkew, AWSError.clockSkewCodes.contains(error.code),
                    let serverDate = Self.httpDate(response.headers.first(name: "date"))
                {
                    let signedAt = configuration.now().addingTimeInterval(clockOffset)
                    let skew = serverDate.timeIntervalSince(signedAt)
                    if abs(skew) > configuration.skewThreshold {
                        offset.withLock { $0 += skew }
                        correctedSkew = true
                        skewRetry = true
                        logger.warning(
                            "clock skew detected, correcting and retrying",
                            metadata: ["aws.operation": "\(action.iamAction)", "aws.skew_seconds": "\(Int(skew))"])
                    }
                }
                failure = error
            } catch let error as AWSError {
                failure = error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = transportError(error, action: action, attempt: attempt)
            }
            if skewRetry { continue }
            guard configuration.retry.isRetryable(failure), attempt < configuration.retry.maxAttempts,
                takeFromQuota(configuration.retry.cost(of: failure), action: action)
            else {
                var final = failure
                final.attempts = attempt
                throw final
            }
            lastRetryCost = configuration.retry.cost(of: failure)
            let delay = configuration.retry.delay(beforeRetry: attempt, after: failure)
            logger.debug(
                "aws call failed, retrying",
                metadata: [
                    "aws.operation": "\(action.iamAction)", "aws.error": "\(failure.code)", "aws.attempt": "\(attempt)",
                    "aws.delay_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
                ])
            try await configuration.sleep(delay)
        }
    }

    private func takeFromQuota(_ cost: Int, action: AWSAction) -> Bool {
        let taken = quota.withLock { tokens in
            guard tokens >= cost else { return false }
            tokens -= cost
            return true
        }
        if !taken {
            logger.warning(
                "aws retry quota exhausted, not retrying", metadata: ["aws.operation": "\(action.iamAction)"])
        }
        return taken
    }

    private func refund(_ tokens: Int) {
        guard let limit = configuration.retry.retryQuota, tokens > 0 else { return }
        quota.withLock { $0 = min(limit, $0 + tokens) }
    }

    private func attemptOnce(
        _ action: AWSAction, body: [UInt8], contentType: String, extraHeaders: [(String, String)]
    ) async throws -> RawResponse {
        let credentials: AWSCredentials
        do {
            credentials = try await credentialProvider.credentials(logger: logger)
        } catch var error as AWSError {
            error.operation = action.name
            error.service = action.service.signingName
            throw error
        }
        let endpoint = endpoint(for: action.service)
        guard let host = endpoint.host else {
            throw AWSError(
                code: "InvalidEndpoint", message: "endpoint \(AWSEndpointResolver.sanitized(endpoint)) has no host",
                service: action.service.signingName, operation: action.name, classification: .client)
        }
        let hostHeader = endpoint.port.map { "\(host):\($0)" } ?? host
        var path = endpoint.path.isEmpty ? "/" : endpoint.path
        if !path.hasSuffix("/") { path += "/" }
        var headers: [SigV4Request.Header] = [.init("Host", hostHeader), .init("Content-Type", contentType)]
        for (name, value) in extraHeaders { headers.append(.init(name, value)) }
        let unsigned = SigV4Request(method: "POST", path: path, headers: headers, body: body)
        let signer = SigV4Signer(region: configuration.region, service: action.service.signingName)
        let signed = signer.sign(
            unsigned, credentials: credentials, date: configuration.now().addingTimeInterval(clockOffset)
        ).signedRequest

        var request = HTTPClientRequest(url: Self.url(endpoint, path: path))
        request.method = .POST
        for header in signed.headers { request.headers.add(name: header.name, value: header.value) }
        request.headers.add(name: "User-Agent", value: "shipshape-aws/1")
        request.body = .bytes(ByteBuffer(bytes: body))
        let timeout = TimeAmount.nanoseconds(
            configuration.attemptTimeout.components.seconds * 1_000_000_000
                + configuration.attemptTimeout.components.attoseconds / 1_000_000_000)
        let response = try await httpClient.execute(request, timeout: timeout, logger: logger)
        let buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
        return RawResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: buffer))
    }

    private static func url(_ endpoint: URL, path: String) -> String {
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)!
        components.path = path
        components.query = nil
        return components.string!
    }

    private func transportError(_ error: any Error, action: AWSAction, attempt: Int) -> AWSError {
        let endpoint = AWSEndpointResolver.sanitized(endpoint(for: action.service))
        let isTimeout: Bool = {
            guard let httpError = error as? HTTPClientError else { return false }
            return httpError == .readTimeout || httpError == .connectTimeout || httpError == .deadlineExceeded
                || httpError == .getConnectionFromPoolTimeout
        }()
        return AWSError(
            code: isTimeout ? AWSError.Code.timeout.rawValue : AWSError.Code.connectionError.rawValue,
            message: "request to \(endpoint) failed: \(error)",
            service: action.service.signingName, operation: action.name, classification: .transient, attempts: attempt)
    }

    // MARK: Errors

    func decodeError(_ response: RawResponse, action: AWSAction) -> AWSError {
        let service = action.service.signingName
        var requestID = response.headers.first(name: "x-amzn-requestid") ?? response.headers.first(name: "x-amz-request-id")
        switch action.service.protocol {
        case .ec2Query, .awsQuery:
            if let root = try? XMLElementNode.parse(response.body), let error = root.first(named: "Error"),
                let code = error.string("Code")
            {
                requestID = root.string("RequestID") ?? root.string("RequestId") ?? requestID
                return AWSError(
                    code: code, message: error.string("Message") ?? "", requestID: requestID, service: service,
                    operation: action.name, httpStatus: response.status)
            }
        case .json:
            if let object = try? JSONDecoder().decode([String: JSONValue].self, from: response.body) {
                let rawType = object["__type"]?.stringValue ?? response.headers.first(name: "x-amzn-errortype") ?? ""
                let code = Self.jsonErrorCode(rawType)
                if !code.isEmpty {
                    let message = object["message"]?.stringValue ?? object["Message"]?.stringValue ?? ""
                    return AWSError(
                        code: code, message: message, requestID: requestID, service: service, operation: action.name,
                        httpStatus: response.status)
                }
            }
        }
        let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
        let code = switch response.status {
        case 503: "ServiceUnavailable"
        case 500...: "InternalError"
        case 429: "TooManyRequestsException"
        default: "HTTP\(response.status)"
        }
        return AWSError(
            code: code, message: snippet.isEmpty ? "HTTP \(response.status) with no error body" : snippet,
            requestID: requestID, service: service, operation: action.name, httpStatus: response.status)
    }

    /// `com.amazon.coral.validate#ValidationException:http://…` → `ValidationException`.
    static func jsonErrorCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return String(code)
    }

    static func httpDate(_ value: String?) -> Date? {
        guard let value else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value)
    }
}

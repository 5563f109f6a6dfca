import Foundation

/// An AWS call that failed: the service's error code and message, or a transport failure.
///
/// `classification` says what kind of failure it is, which decides whether the client retried it
/// and what the operator should do. `description` names the service, operation and resource, and
/// never contains credentials.
public struct AWSError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Classification: String, Sendable {
        /// The service asked the caller to slow down (`Throttling`, `RequestLimitExceeded`, …). Retried.
        case throttling
        /// A server-side or network failure that may go away (5xx, connection reset, timeout). Retried.
        case transient
        /// The request was wrong or refers to something missing; retrying does not help.
        case client
        /// Credentials missing, wrong, expired or not allowed to do this.
        case auth
    }

    /// The service's error code (`InvalidPermission.Duplicate`, `ConditionalCheckFailedException`…), or
    /// one of the client's own codes (`ConnectionError`, `Timeout`, `MalformedResponse`, `NoCredentials`).
    public var code: String
    /// The service's message, or the client's explanation.
    public var message: String
    /// The request id AWS gave the failed request, for support cases.
    public var requestID: String?
    /// The service's signing name (`ec2`, `ecs`…).
    public var service: String
    /// The API operation (`DescribeInstances`).
    public var operation: String
    /// The HTTP status, when a response arrived.
    public var httpStatus: Int?
    /// What kind of failure this is.
    public var classification: Classification
    /// How many attempts were made before giving up.
    public var attempts: Int

    public init(
        code: String, message: String, requestID: String? = nil, service: String, operation: String,
        httpStatus: Int? = nil, classification: Classification? = nil, attempts: Int = 1
    ) {
        self.code = code
        self.message = message
        self.requestID = requestID
        self.service = service
        self.operation = operation
        self.httpStatus = httpStatus
        self.classification = classification ?? Self.classify(code: code, httpStatus: httpStatus)
        self.attempts = attempts
    }

    public var description: String {
        var text = "\(service) \(operation) failed: \(code)"
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        if !message.isEmpty { text += ": \(message)" }
        if let requestID { text += " [request id \(requestID)]" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        return text + ". " + hint
    }

    /// What to do about it, by classification.
    public var hint: String {
        switch classification {
        case .throttling:
            return "AWS is throttling this account's \(service) calls; the next reconcile will try again, or lower the request rate."
        case .transient:
            return "This looks temporary (service or network); the next reconcile will try again."
        case .auth where service == "credentials":
            return "Give the controller credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile in ~/.aws (AWS_PROFILE), or an instance role reachable over IMDSv2."
        case .auth:
            return "Check the credentials the controller uses (environment, profile or instance role), their IAM permissions for \(service):\(operation), and the host clock."
        case .client:
            return "The request was refused; check the resource named in the message and the manifest."
        }
    }

    /// Whether this is the error with `code`.
    public func `is`(_ code: Code) -> Bool { self.code == code.rawValue }

    /// Error codes callers branch on. The raw value is the code AWS sends.
    public struct Code: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { rawValue = value }

        public static let conditionalCheckFailed: Code = "ConditionalCheckFailedException"
        public static let imageNotFound: Code = "ImageNotFoundException"
        public static let repositoryNotFound: Code = "RepositoryNotFoundException"
        public static let duplicatePermission: Code = "InvalidPermission.Duplicate"
        public static let permissionNotFound: Code = "InvalidPermission.NotFound"
        public static let securityGroupNotFound: Code = "InvalidGroup.NotFound"
        public static let duplicateSecurityGroup: Code = "InvalidGroup.Duplicate"
        public static let instanceNotFound: Code = "InvalidInstanceID.NotFound"
        public static let incorrectInstanceState: Code = "IncorrectInstanceState"
        public static let dbInstanceNotFound: Code = "DBInstanceNotFound"
        public static let serviceNotFound: Code = "ServiceNotFoundException"
        public static let clusterNotFound: Code = "ClusterNotFoundException"
        public static let ecsClientException: Code = "ClientException"
        public static let resourceNotFound: Code = "ResourceNotFoundException"
        public static let parameterNotFound: Code = "ParameterNotFound"
        public static let targetGroupNotFound: Code = "TargetGroupNotFound"
        public static let resourceInUse: Code = "ResourceInUseException"
        /// The client's own: a connection could not be made or broke.
        public static let connectionError: Code = "ConnectionError"
        /// The client's own: no response within the attempt timeout.
        public static let timeout: Code = "Timeout"
        /// The client's own: the response could not be decoded.
        public static let malformedResponse: Code = "MalformedResponse"
        /// The client's own: no credential source gave credentials.
        public static let noCredentials: Code = "NoCredentials"
        /// The client's own: a waiter gave up.
        public static let waiterTimeout: Code = "WaiterTimeout"
    }

    /// Codes the SDKs treat as throttling.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// Codes the SDKs treat as transient whatever the status.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable",
        "InternalServerError", "InternalServiceError", "Unavailable", "ConnectionError", "Timeout",
    ]

    /// Codes that mean the signature or credentials were refused.
    public static let authCodes: Set<String> = [
        "AuthFailure", "SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature",
        "InvalidClientTokenId", "UnrecognizedClientException", "ExpiredToken", "ExpiredTokenException",
        "RequestExpired", "RequestTimeTooSkewed", "AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
        "MissingAuthenticationToken", "InvalidAccessKeyId", "NoCredentials", "NotAuthorized",
    ]

    /// Codes that mean the caller's clock is off; the client corrects its offset and retries once.
    public static let clockSkewCodes: Set<String> = [
        "RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException", "SignatureDoesNotMatch",
        "AuthFailure", "RequestInTheFuture",
    ]

    static func classify(code: String, httpStatus: Int?) -> Classification {
        if throttlingCodes.contains(code) || httpStatus == 429 { return .throttling }
        if transientCodes.contains(code) { return .transient }
        if authCodes.contains(code) { return .auth }
        if let httpStatus, httpStatus >= 500 { return .transient }
        if httpStatus == 401 || httpStatus == 403 { return .auth }
        return .client
    }
}

import Foundation

/// Retries as the AWS SDKs' *standard* retry mode does them.
///
/// - At most `maxAttempts` attempts (default 3: the first try and two retries).
/// - Retried: throttling errors, transient errors (5xx, `InternalError`, connection failures and
///   timeouts). Never retried: client and auth errors (except one clock-skew correction, see
///   `AWSClient`).
/// - Delay before retry *n* (n = 1 for the first retry) is exponential backoff with full jitter:
///
///       delay(n) = random(0 ... min(maxBackoff, base × 2^(n−1)))
///
///   with `base` = `baseDelay` (100 ms) for transient errors and `throttlingBaseDelay` (500 ms) for
///   throttling errors, and `maxBackoff` = 20 s.
/// - A retry quota shared by every call of one `AWSClient` (a token bucket of `retryQuota` = 500):
///   a retry costs `retryCost` (5), or `timeoutRetryCost` (10) after a timeout or connection error;
///   a call that succeeds at once gives back 1, one that succeeds after retrying gives back what its
///   last retry cost. With the bucket empty, failures are not retried, so a service that is down
///   or throttling hard sees one request per call instead of a retry storm.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var throttlingBaseDelay: Duration
    public var maxBackoff: Duration
    /// The jitter source: returns a value in `0...1`. Replace it in tests for fixed delays.
    public var jitter: @Sendable () -> Double
    /// Size of the shared retry token bucket; nil for no quota.
    public var retryQuota: Int?
    /// Tokens a retry costs.
    public var retryCost: Int
    /// Tokens a retry after a timeout or connection error costs.
    public var timeoutRetryCost: Int

    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(100), throttlingBaseDelay: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(20), jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        retryQuota: Int? = 500, retryCost: Int = 5, timeoutRetryCost: Int = 10
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.throttlingBaseDelay = throttlingBaseDelay
        self.maxBackoff = maxBackoff
        self.jitter = jitter
        self.retryQuota = retryQuota
        self.retryCost = retryCost
        self.timeoutRetryCost = timeoutRetryCost
    }

    /// The SDK default: 3 attempts.
    public static let standard = RetryPolicy()

    /// One attempt, no retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Whether an error of this classification is worth another attempt.
    public func isRetryable(_ error: AWSError) -> Bool {
        error.classification == .throttling || error.classification == .transient
    }

    /// What retrying after `error` costs from the quota.
    public func cost(of error: AWSError) -> Int {
        error.is(.timeout) || error.is(.connectionError) ? timeoutRetryCost : retryCost
    }

    /// The delay before retry number `retry` (1-based) after `error`.
    public func delay(beforeRetry retry: Int, after error: AWSError) -> Duration {
        let base = error.classification == .throttling ? throttlingBaseDelay : baseDelay
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(maxBackoff, base * (1 << exponent))
        let fraction = min(max(jitter(), 0), 1)
        return ceiling * fraction
    }
}

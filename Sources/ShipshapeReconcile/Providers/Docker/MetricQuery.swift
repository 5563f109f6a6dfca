/// Evaluates a canary's analysis query (PromQL) on the monitoring server.
///
/// The Docker provider asks it every `strategy.analysis.interval` while a canary is observed, with
/// the placeholders already replaced. The controller passes `PrometheusMetricQuery` when
/// `docker.prometheus` is configured; without one, a service with an analysis fails its rollout
/// before anything is stopped.
public protocol MetricQuery: Sendable {
    /// The query's value now, or nil when it returns no data (an empty vector). Throws when the
    /// server cannot be asked, refuses the query, or answers with anything that is not one number
    /// (several series, a range vector, NaN, a body that is not Prometheus's JSON); the error names
    /// the query.
    func value(of query: String) async throws -> Double?
}

/// Container log driver and its options.
public struct LogOptions: Sendable, Hashable {
    /// Docker log driver (`json-file`, `local`, `journald`, `awslogs`…).
    public var driver: String
    /// Driver options (`max-size: 10m`).
    public var options: [String: String]

    /// Creates log options.
    public init(driver: String, options: [String: String] = [:]) {
        self.driver = driver
        self.options = options
    }
}

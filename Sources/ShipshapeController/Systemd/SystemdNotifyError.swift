/// `sd_notify` could not reach systemd.
public struct SystemdNotifyError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

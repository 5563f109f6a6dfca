import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Talks to systemd over `NOTIFY_SOCKET` (`sd_notify(3)`): `READY=1`, `WATCHDOG=1`, `STOPPING=1`,
/// `STATUS=…`. Both socket paths (`/run/systemd/notify`) and abstract names (`@…`) work.
///
/// Without `NOTIFY_SOCKET` (not started by systemd, or not `Type=notify`) every call does nothing.
/// Sends never block: a full socket buffer is reported as an error and the message is lost, as with
/// `sd_notify`.
public struct SystemdNotifier: Sendable {
    /// `NOTIFY_SOCKET` as given, or nil.
    public let socketPath: String?
    /// The watchdog timeout from `WATCHDOG_USEC`, when the watchdog is on for this process
    /// (`WATCHDOG_PID` unset or ours). Send `WATCHDOG=1` at least every half of it.
    public let watchdogTimeout: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if path != nil, pidMatches, let text = environment["WATCHDOG_USEC"], let usec = Int64(text), usec > 0 {
            watchdogTimeout = .microseconds(usec)
        } else {
            watchdogTimeout = nil
        }
    }

    /// Whether systemd is listening.
    public var isEnabled: Bool { socketPath != nil }

    /// Start-up is complete.
    public func ready(status: String? = nil) throws {
        try notify(["READY=1"] + (status.map { ["STATUS=\(Self.oneLine($0))"] } ?? []))
    }

    /// The service is alive (resets the watchdog timer).
    public func watchdog() throws { try notify(["WATCHDOG=1"]) }

    /// The service is shutting down.
    public func stopping(status: String? = nil) throws {
        try notify(["STOPPING=1"] + (status.map { ["STATUS=\(Self.oneLine($0))"] } ?? []))
    }

    /// A one-line status for `systemctl status`.
    public func status(_ text: String) throws { try notify(["STATUS=\(Self.oneLine(text))"]) }

    /// Sends `assignments` (`KEY=value`) in one datagram.
    public func notify(_ assignments: [String]) throws {
        guard let socketPath else { return }
        try Self.send(assignments.joined(separator: "\n"), to: socketPath)
    }

    /// `text` on one line, at most 200 characters.
    static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= 200 ? flat : String(flat.prefix(199)) + "…"
    }

    static func send(_ message: String, to path: String) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity, bytes.first == UInt8(ascii: "/") || abstract else {
            throw SystemdNotifyError("NOTIFY_SOCKET `\(path)` is not an absolute path or @abstract name of at most \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        // Abstract names are exactly their bytes; paths include the terminating NUL.
        let length = socklen_t(pathOffset + bytes.count + (abstract ? 0 : 1))

        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemdNotifyError("cannot create a unix datagram socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let payload = Array(message.utf8)
        let sent = payload.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), $0, length)
                }
            }
        }
        guard sent == payload.count else {
            throw SystemdNotifyError("sending to NOTIFY_SOCKET \(path) failed: \(String(cString: strerror(errno)))")
        }
    }
}

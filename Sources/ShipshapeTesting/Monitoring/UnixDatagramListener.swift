import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real unix datagram socket a test binds, standing in for systemd's `NOTIFY_SOCKET`: a file path
/// or an abstract name (`@name`). `receive` waits for the next datagram off the cooperative pool.
public final class UnixDatagramListener: Sendable {
    /// The address as `NOTIFY_SOCKET` spells it (`/tmp/…/notify` or `@name`).
    public let address: String
    private let fd: Int32

    /// Binds `address`; a leading `@` means the abstract namespace.
    public init(address: String) throws {
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: storage.sun_path) else {
            throw HarnessError("unix socket address too long: \(address)")
        }
        withUnsafeMutableBytes(of: &storage.sun_path) { $0.copyBytes(from: bytes) }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        let length = socklen_t(offset + bytes.count + (abstract ? 0 : 1))
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("cannot create a unix datagram socket: errno \(errno)") }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw HarnessError("cannot bind unix datagram socket \(address): errno \(code)")
        }
        self.address = address
        self.fd = fd
    }

    /// The next datagram as text, or nil when none arrives within `timeout` (a generous default:
    /// the test hosts are loaded).
    public func receive(timeout: Duration = .seconds(120)) async -> String? {
        let fd = fd
        let milliseconds = Int32(min(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000, 600_000))
        // A dedicated thread: the blocking poll must not occupy Dispatch's small global pool.
        return await withCheckedContinuation { continuation in
            Thread {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, milliseconds) == 1 else { return continuation.resume(returning: nil) }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = recv(fd, &buffer, buffer.count, 0)
                continuation.resume(returning: count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil)
            }.start()
        }
    }

    /// Every datagram that arrives within `timeout` of the previous one.
    public func drain(timeout: Duration = .milliseconds(200)) async -> [String] {
        var messages: [String] = []
        while let message = await receive(timeout: timeout) { messages.append(message) }
        return messages
    }

    deinit {
        close(fd)
        if !address.hasPrefix("@") { unlink(address) }
    }
}

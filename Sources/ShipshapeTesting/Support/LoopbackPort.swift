import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Loopback TCP ports for test servers.
///
/// Ports come from below the kernel's ephemeral range (32768–60999 here): a port picked there can be
/// taken as the local port of an outgoing connection before the test server binds it, which busy
/// tests (many HTTP clients) hit. Each port is handed out once per process.
public enum LoopbackPort {
    private static let handedOut = Mutex<Set<Int>>([])

    /// A TCP port on 127.0.0.1 that was free when asked, and not handed out before in this process.
    public static func free() throws -> Int {
        try freeBase(offsets: [0])
    }

    /// A port `base` such that `base + offset` is free for every offset (e.g. the host ports of a
    /// service's replicas in both blue/green slots), all reserved for this process.
    public static func freeBase(offsets: [Int], in range: ClosedRange<Int> = 12000...31000) throws -> Int {
        for _ in 0..<500 {
            let base = Int.random(in: range)
            let ports = offsets.map { base + $0 }
            let claimed = handedOut.withLock { taken in
                guard ports.allSatisfy({ !taken.contains($0) && canBind($0) }) else { return false }
                taken.formUnion(ports)
                return true
            }
            if claimed { return base }
        }
        throw HarnessError("no free loopback ports for offsets \(offsets) in \(range)")
    }

    /// Whether a socket can bind 127.0.0.1:`port` now.
    static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    public static func isOpen(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Waits until 127.0.0.1:`port` accepts connections, polling every 50 ms.
    public static func waitUntilOpen(_ port: Int, timeout: Duration = .seconds(30), what: String) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if isOpen(port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("\(what) did not start listening on 127.0.0.1:\(port) within \(timeout)")
    }
}

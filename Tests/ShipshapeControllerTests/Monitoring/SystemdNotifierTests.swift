import Foundation
import Logging
import ServiceLifecycle
import ShipshapeController
import ShipshapeTesting
import Testing

/// sd_notify against a real unix datagram socket the test binds, as systemd would.
@Suite("systemd notify")
struct SystemdNotifierTests {
    static func socketDirectory() throws -> TemporaryDirectory { try TemporaryDirectory(prefix: "shipshape-notify") }

    @Test("READY, STATUS, WATCHDOG and STOPPING reach a socket path")
    func socketPath() async throws {
        let directory = try Self.socketDirectory()
        defer { directory.remove() }
        let listener = try UnixDatagramListener(address: directory.appending("notify"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        #expect(notifier.isEnabled)
        #expect(notifier.watchdogTimeout == nil)
        try notifier.ready(status: "reconciling 2 environments\nsecond line")
        #expect(await listener.receive() == "READY=1\nSTATUS=reconciling 2 environments second line")
        try notifier.watchdog()
        #expect(await listener.receive() == "WATCHDOG=1")
        try notifier.stopping()
        #expect(await listener.receive() == "STOPPING=1")
    }

    @Test("abstract socket names (@name) work")
    func abstractName() async throws {
        let listener = try UnixDatagramListener(address: "@shipshape-test-\(UInt64.random(in: 0...UInt64.max))")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        try notifier.status("1 env: prod converged")
        #expect(await listener.receive() == "STATUS=1 env: prod converged")
    }

    @Test("without NOTIFY_SOCKET nothing is sent and nothing fails; a vanished socket is an error")
    func disabledAndBroken() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        try notifier.ready()
        let broken = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify"])
        #expect(throws: SystemdNotifyError.self) { try broken.watchdog() }
        #expect(throws: SystemdNotifyError.self) { try SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative"]).ready() }
    }

    @Test("WATCHDOG_USEC is honoured only for our pid")
    func watchdogEnvironment() {
        let ours = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(getpid())"])
        #expect(ours.watchdogTimeout == .seconds(30))
        let other = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"])
        #expect(other.watchdogTimeout == nil)
    }

    @Test("the watchdog pings every half timeout while the loops beat, stops when one stalls, and says STOPPING")
    func watchdogService() async throws {
        let directory = try Self.socketDirectory()
        defer { directory.remove() }
        let listener = try UnixDatagramListener(address: directory.appending("notify"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "20000000"])
        let clock = TestClock(mode: .manual)
        let (logger, logs) = RecordingLogHandler.logger()
        let watchdog = SystemdWatchdog(
            notifier: notifier, loops: ["prod", "staging"], maxSilence: .seconds(60), clock: clock, logger: logger,
            statusLine: { "2 env: prod converged, staging converged; git ok" })
        let group = ServiceGroup(services: [watchdog], logger: logger)
        let run = Task { try await group.run() }
        // Both loops have just started: a ping with the status line, then a sleep of half the timeout.
        #expect(await listener.receive() == "WATCHDOG=1\nSTATUS=2 env: prod converged, staging converged; git ok")
        try await clock.waitForSleepers(1)
        #expect(clock.sleeps == [.seconds(10)])
        clock.advance(by: .seconds(10))
        #expect(await listener.receive() == "WATCHDOG=1\nSTATUS=2 env: prod converged, staging converged; git ok")
        try await clock.waitForSleepers(1)
        // Only prod makes progress; 65 s after its start staging counts as stalled: no ping, a status
        // saying why.
        watchdog.beat("prod")
        clock.advance(by: .seconds(55))
        #expect(await listener.receive() == "STATUS=stalled: staging")
        #expect(watchdog.stalledLoops == ["staging"])
        #expect(logs.text.contains("not feeding the watchdog"))
        try await clock.waitForSleepers(1)
        // Both beat again: pings resume.
        watchdog.beat("prod")
        watchdog.beat("staging")
        clock.advance(by: .seconds(10))
        #expect(await listener.receive()?.hasPrefix("WATCHDOG=1") == true)
        try await clock.waitForSleepers(1)
        await group.triggerGracefulShutdown()
        try await run.value
        #expect(await listener.receive() == "STOPPING=1\nSTATUS=stopping: finishing running cycles")
    }
}

import Synchronization

/// A clock for tests. Time moves only when the test calls `advance(by:)`, so tests need no real
/// waiting. Every requested sleep is recorded for assertions.
///
/// - `.automatic` (default): a sleep returns at once and moves the clock to its deadline, so code
///   that backs off runs straight through.
/// - `.manual`: a sleep suspends until `advance(by:)` reaches its deadline (or the task is
///   cancelled); `waitForSleepers(_:)` lets the test wait until the code under test is asleep.
public final class TestClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        public var offset: Duration

        public init(offset: Duration) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    public enum Mode: Sendable {
        case automatic
        case manual
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleeps: [Duration] = []
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state = Mutex(State())
    public let mode: Mode

    public init(mode: Mode = .automatic) { self.mode = mode }

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// The durations of every sleep so far, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// How many sleeps are suspended now (manual mode).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Moves the clock forward, waking the sleeps whose deadline has come.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits (polling every millisecond of real time, at most `timeout`) until `count` sleeps are
    /// suspended.
    public func waitForSleepers(_ count: Int = 1, timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + timeout
        while sleeperCount < count {
            guard ContinuousClock.now < deadline else {
                throw HarnessError("TestClock: expected \(count) sleeper(s) within \(timeout), have \(sleeperCount)")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        let automatic = state.withLock { state -> Bool in
            state.sleeps.append(state.now.duration(to: deadline))
            guard mode == .automatic || deadline <= state.now else { return false }
            if state.now < deadline { state.now = deadline }
            return true
        }
        if automatic {
            await Task.yield()
            return
        }
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    if Task.isCancelled || deadline <= state.now { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}

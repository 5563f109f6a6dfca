import CLibGit2
import Foundation

/// A dedicated thread on which every libgit2 call of one repository runs, one at a time.
///
/// libgit2 blocks on disk and network I/O (a fetch can wait on a slow server for minutes), so its
/// calls must stay off Swift's cooperative pool and also off Dispatch's global queues, whose few
/// threads (one per core) other work needs. A `git_repository` handle is only ever touched from
/// its own thread. The thread ends when the last reference to the queue goes away.
final class GitQueue: Sendable {
    private let worker: Worker

    init(label: String) {
        worker = Worker()
        let worker = worker
        let thread = Thread { worker.loop() }
        thread.name = label
        thread.start()
    }

    deinit {
        worker.stop()
    }

    /// Runs `body` on the thread and returns its result to the awaiting task.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            worker.enqueue {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// The job list and the condition variable the thread sleeps on.
    private final class Worker: @unchecked Sendable {
        private let condition = NSCondition()
        private var jobs: [@Sendable () -> Void] = []
        private var stopped = false

        func enqueue(_ job: @escaping @Sendable () -> Void) {
            condition.lock()
            jobs.append(job)
            condition.signal()
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.signal()
            condition.unlock()
        }

        func loop() {
            while true {
                condition.lock()
                while jobs.isEmpty && !stopped { condition.wait() }
                if jobs.isEmpty && stopped {
                    condition.unlock()
                    return
                }
                let job = jobs.removeFirst()
                condition.unlock()
                job()
            }
        }
    }
}

/// Owns a `git_repository` pointer; used only from the repository's `GitQueue`.
final class RepositoryHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_repository_free(pointer)
    }
}

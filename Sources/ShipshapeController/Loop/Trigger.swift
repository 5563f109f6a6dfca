/// Wakes a loop early. Fires that arrive while nobody waits coalesce into one.
///
/// Events decide only *when* a cycle runs, never what it does (level-triggered), so coalescing a
/// burst of webhooks into one wake-up loses nothing.
public actor Trigger {
    private var pending = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextID = 0

    public init() {}

    /// Wakes the waiter, or the next one to wait.
    public func fire() {
        if waiters.isEmpty {
            pending = true
        } else {
            let all = waiters
            waiters.removeAll()
            for continuation in all.values { continuation.resume() }
        }
    }

    /// Returns when fired or when `timeout` has passed, whichever is first; at once if a fire is
    /// pending. Returns early on cancellation too.
    public func wait(timeout: Duration) async {
        if pending {
            pending = false
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.waitForFire() }
            await group.next()
            group.cancelAll()
        }
        pending = false
    }

    private func waitForFire() async {
        let id = nextID
        nextID += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }
}

import CLibGit2
import Dispatch

/// A serial dispatch queue on which every libgit2 call of one repository runs.
///
/// libgit2 blocks on disk and network I/O, so its calls must stay off Swift's cooperative thread
/// pool; a `git_repository` handle is also only ever touched from its own queue.
struct GitQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .utility)
    }

    /// Runs `body` on the queue and returns its result to the awaiting task.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
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

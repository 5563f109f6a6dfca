import CLibGit2
import Synchronization

/// A ref that a fetch created, moved or deleted.
struct RefUpdate: Sendable, Hashable {
    /// Local ref name, e.g. `refs/remotes/origin/main`.
    var name: String
    /// The previous target, nil when the ref is new.
    var old: String?
    /// The new target, nil when the ref was pruned.
    var new: String?
}

/// State shared between one fetch and libgit2's remote callbacks (called on the fetching thread)
/// and the task that awaits it (which may cancel it).
final class FetchContext: Sendable {
    private struct State {
        var updates: [RefUpdate] = []
        var cancelled = false
        var failure: GitError?
        var credentialAttempts = 0
    }

    private let state = Mutex(State())

    /// The sanitised remote URL, for messages.
    let remote: String
    /// Where the remote is, for host key and certificate checks.
    let address: RemoteAddress
    /// Credentials and trust settings.
    let options: GitRemoteOptions

    init(url: String, options: GitRemoteOptions) {
        self.remote = GitURL.sanitize(url)
        self.address = RemoteAddress(url)
        self.options = options
    }

    /// Counts a credential request; the second one means the first credentials were refused.
    func nextCredentialAttempt() -> Int { state.withLock { $0.credentialAttempts += 1; return $0.credentialAttempts } }

    var updates: [RefUpdate] { state.withLock { $0.updates } }
    var isCancelled: Bool { state.withLock { $0.cancelled } }
    /// An error a callback recorded before returning failure to libgit2 (a clearer message than libgit2's).
    var failure: GitError? { state.withLock { $0.failure } }

    func cancel() { state.withLock { $0.cancelled = true } }

    func record(_ update: RefUpdate) { state.withLock { $0.updates.append(update) } }

    func fail(_ error: GitError) {
        state.withLock { if $0.failure == nil { $0.failure = error } }
    }

    /// libgit2 remote callbacks whose payload is this context; the context must outlive their use.
    func callbacks() -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.update_tips = { refname, old, new, payload in
            guard let refname, let payload else { return 0 }
            let context = Unmanaged<FetchContext>.fromOpaque(payload).takeUnretainedValue()
            let oldID = old.flatMap { LibGit2.isZero($0) ? nil : LibGit2.hex($0) }
            let newID = new.flatMap { LibGit2.isZero($0) ? nil : LibGit2.hex($0) }
            context.record(RefUpdate(name: String(cString: refname), old: oldID, new: newID))
            return 0
        }
        callbacks.transfer_progress = { _, payload in
            guard let payload else { return 0 }
            let context = Unmanaged<FetchContext>.fromOpaque(payload).takeUnretainedValue()
            return context.isCancelled ? GIT_EUSER.rawValue : 0
        }
        callbacks.sideband_progress = { _, _, payload in
            guard let payload else { return 0 }
            let context = Unmanaged<FetchContext>.fromOpaque(payload).takeUnretainedValue()
            return context.isCancelled ? GIT_EUSER.rawValue : 0
        }
        callbacks.credentials = { out, _, usernameFromURL, allowed, payload in
            guard let out, let payload else { return -1 }
            let context = Unmanaged<FetchContext>.fromOpaque(payload).takeUnretainedValue()
            return context.acquireCredential(out, usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowed: allowed)
        }
        callbacks.certificate_check = { cert, valid, _, payload in
            guard let cert, let payload else { return -1 }
            let context = Unmanaged<FetchContext>.fromOpaque(payload).takeUnretainedValue()
            return context.checkCertificate(cert, libgit2Valid: valid != 0)
        }
        return callbacks
    }
}

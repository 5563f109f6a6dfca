import CLibGit2

/// Process-wide libgit2 set-up and error translation.
enum LibGit2 {
    /// Initialises libgit2 exactly once per process (Swift runs a global's initialiser once, thread-safely).
    private static let initialized: Bool = {
        git_libgit2_init()
        return true
    }()

    /// Call before any other libgit2 function.
    static func ensureInitialized() {
        _ = initialized
    }

    /// The libgit2 error of the calling thread, read right after a failing call.
    static func lastErrorMessage() -> String {
        guard let last = git_error_last(), let message = last.pointee.message else { return "unknown libgit2 error" }
        return String(cString: message).trimmingWhitespace()
    }

    /// The error class of the calling thread's last libgit2 error.
    static func lastErrorClass() -> Int32 {
        guard let last = git_error_last() else { return 0 }
        return last.pointee.klass
    }

    /// Throws a `GitError` built from the thread's last libgit2 error when `result` is negative.
    ///
    /// `what` names the operation and resource ("fetching https://host/repo.git") and is prefixed to
    /// libgit2's own message; `hint` tells the operator what to do.
    static func check(_ result: Int32, _ what: @autoclosure () -> String, code: GitError.Code? = nil, hint: String? = nil) throws {
        guard result < 0 else { return }
        throw error(result, what(), code: code, hint: hint)
    }

    /// A `GitError` for a failed libgit2 call that returned `result`.
    static func error(_ result: Int32, _ what: String, code: GitError.Code? = nil, hint: String? = nil) -> GitError {
        let message = lastErrorMessage()
        let klass = lastErrorClass()
        let resolved = code ?? classify(result: result, errorClass: klass)
        var text = "\(what) failed: \(message)"
        if let hint { text += ". \(hint)" }
        return GitError(resolved, text)
    }

    /// Maps a libgit2 return code and error class to a `GitError.Code`.
    static func classify(result: Int32, errorClass: Int32) -> GitError.Code {
        switch result {
        case GIT_EAUTH.rawValue: return .authenticationFailed
        case GIT_ECERTIFICATE.rawValue: return .certificateRejected
        case GIT_EUSER.rawValue: return .cancelled
        default: break
        }
        switch UInt32(bitPattern: errorClass) {
        case GIT_ERROR_NET.rawValue, GIT_ERROR_SSL.rawValue, GIT_ERROR_HTTP.rawValue, GIT_ERROR_SSH.rawValue:
            return .remoteUnreachable
        default:
            return .operationFailed
        }
    }

    /// The 40-character hexadecimal form of `oid`.
    static func hex(_ oid: UnsafePointer<git_oid>) -> String {
        var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ))
        git_oid_fmt(&buffer, oid)
        return String(decoding: buffer.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The 40-character hexadecimal form of `oid`.
    static func hex(_ oid: git_oid) -> String {
        withUnsafePointer(to: oid) { hex($0) }
    }

    /// True when `oid` is all zeros (libgit2's "no object", e.g. a ref that did not exist before a fetch).
    static func isZero(_ oid: UnsafePointer<git_oid>) -> Bool {
        git_oid_is_zero(oid) == 1
    }

    /// Parses a full hexadecimal object id.
    static func oid(_ hex: String) throws -> git_oid {
        var oid = git_oid()
        guard hex.utf8.count == Int(GIT_OID_HEXSZ), git_oid_fromstr(&oid, hex) == 0 else {
            throw GitError(.invalidArgument, "'\(hex)' is not a full 40-character object id")
        }
        return oid
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

import Foundation
import Logging
import ShipshapeGit
import ShipshapeTesting

/// A logger for tests: warnings and above only, so test output stays readable.
func testLogger() -> Logger {
    var logger = Logger(label: "shipshape.git.tests")
    logger.logLevel = .warning
    return logger
}

/// A temporary folder holding a work repository (the remote) and room for a local clone.
struct GitTestBed {
    let directory: TemporaryDirectory
    let origin: GitWorkRepository
    var clonePath: String { directory.appending("state/config.git") }

    static func make(branch: String = "main") async throws -> GitTestBed {
        let directory = try TemporaryDirectory(prefix: "shipshape-git")
        let origin = try await GitWorkRepository.create(at: directory.appending("origin"), branch: branch)
        return GitTestBed(directory: directory, origin: origin)
    }

    func clone(url: String? = nil) async throws -> GitRepository {
        try await GitRepository.openOrClone(
            url: url ?? origin.fileURL, at: clonePath, options: GitRemoteOptions(), logger: testLogger())
    }
}

extension GitFile {
    var text: String { String(decoding: contents, as: UTF8.self) }
}

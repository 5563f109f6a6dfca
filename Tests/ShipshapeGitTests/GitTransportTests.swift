import Foundation
import ShipshapeGit
import ShipshapeTesting
import Testing

@Suite("Smart HTTPS (nginx + git http-backend) and SSH (sshd) transports")
struct GitTransportTests {
    static let token = "tok-\(UInt64.random(in: 0...UInt64.max))"

    @Test("HTTPS with a token from a file and a configured CA clones and fetches")
    func httpsClonesAndFetches() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        let server = try await GitHTTPServer.start(
            projectRoot: bed.directory.path, token: Self.token, directory: try serverFolder(bed))
        let tokenFile = try bed.directory.write(Self.token + "\n", to: "secrets/token", mode: 0o600)
        let options = GitRemoteOptions(credentials: .token(file: tokenFile, username: "git"), caFile: server.authority.caFile)
        do {
            let first = try await bed.origin.commit("one", files: ["manifests/a.yaml": "a: 1\n"])
            let repository = try await GitRepository.openOrClone(
                url: server.url("origin"), at: bed.clonePath, options: options, logger: testLogger())
            #expect(try await repository.resolveBranch("main").id == first)
            let idle = try await repository.fetch(options: options)
            #expect(idle.updatedRefs.isEmpty)
            #expect(idle.receivedBytes == 0)
            let second = try await bed.origin.commit("two", files: ["manifests/b.yaml": "b: 1\n"])
            let result = try await repository.fetch(options: options)
            #expect(result.updatedRefs == ["refs/remotes/origin/main"])
            #expect(result.receivedBytes > 0)
            let tip = try await repository.resolveBranch("main")
            #expect(tip.id == second)
            #expect(try await repository.files(at: tip, under: "manifests").map(\.path) == ["a.yaml", "b.yaml"])
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("HTTPS refuses a wrong token, missing credentials and untrusted certificates with clear errors")
    func httpsRefusals() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        try await bed.origin.commit("one", files: ["manifests/a.yaml": "a: 1\n"])
        let folder = try serverFolder(bed)
        let server = try await GitHTTPServer.start(projectRoot: bed.directory.path, token: Self.token, directory: folder)
        let otherCA = try await TestCertificateAuthority.make(in: folder, name: "other")
        let wrongToken = "wrong-\(UInt64.random(in: 0...UInt64.max))"
        let wrongFile = try bed.directory.write(wrongToken, to: "secrets/wrong", mode: 0o600)
        let goodFile = try bed.directory.write(Self.token, to: "secrets/token", mode: 0o600)

        func cloneError(_ options: GitRemoteOptions, url: String? = nil) async -> GitError? {
            await #expect(throws: GitError.self) {
                try await GitRepository.openOrClone(
                    url: url ?? server.url("origin"), at: bed.directory.appending("clone-\(UUID().uuidString)"),
                    options: options, logger: testLogger())
            }
        }

        let wrong = await cloneError(GitRemoteOptions(credentials: .token(file: wrongFile, username: "git"), caFile: server.authority.caFile))
        #expect(wrong?.code == .authenticationFailed)
        #expect(wrong?.description.contains("refused") == true)
        #expect(wrong?.description.contains(wrongToken) == false)

        let none = await cloneError(GitRemoteOptions(caFile: server.authority.caFile))
        #expect(none?.code == .authenticationFailed)
        #expect(none?.description.contains("no credentials are configured") == true)

        let untrusted = await cloneError(GitRemoteOptions(credentials: .token(file: goodFile, username: "git")))
        #expect(untrusted?.code == .certificateRejected)

        let otherAuthority = await cloneError(GitRemoteOptions(credentials: .token(file: goodFile, username: "git"), caFile: otherCA.caFile))
        #expect(otherAuthority?.code == .certificateRejected)
        #expect(otherAuthority?.description.contains(otherCA.caFile) == true)

        // The certificate is for 127.0.0.1; reaching the same server as "localhost" must fail the name check.
        let wrongName = await cloneError(
            GitRemoteOptions(credentials: .token(file: goodFile, username: "git"), caFile: server.authority.caFile),
            url: "https://localhost:\(server.port)/origin")
        #expect(wrongName?.code == .certificateRejected)
        #expect(wrongName?.description.contains("not issued for 'localhost'") == true)

        // A token embedded in the URL never reaches an error.
        let embedded = await cloneError(GitRemoteOptions(), url: "https://git:\(wrongToken)@127.0.0.1:\(server.port)/origin")
        #expect(embedded?.description.contains(wrongToken) == false)
        await server.stop()
    }

    @Test("SSH with a deploy key and a pinned known_hosts clones and fetches")
    func sshClonesAndFetches() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        let server = try await GitSSHServer.start(directory: try serverFolder(bed))
        let options = GitRemoteOptions(
            credentials: .sshKey(privateKeyFile: server.deployKeyFile), knownHostsFile: server.knownHostsFile)
        do {
            let first = try await bed.origin.commit("one", files: ["manifests/a.yaml": "a: 1\n"])
            let repository = try await GitRepository.openOrClone(
                url: server.url(path: bed.origin.path), at: bed.clonePath, options: options, logger: testLogger())
            #expect(try await repository.resolveBranch("main").id == first)
            let second = try await bed.origin.commit("two", files: ["manifests/a.yaml": "a: 2\n"])
            let result = try await repository.fetch(options: options)
            #expect(result.updatedRefs == ["refs/remotes/origin/main"])
            #expect(try await repository.resolveBranch("main").id == second)
        } catch {
            Issue.record("sshd log: \(server.log())")
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("SSH refuses unknown and changed host keys, and an unauthorised key, with clear errors")
    func sshRefusals() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        try await bed.origin.commit("one", files: ["manifests/a.yaml": "a: 1\n"])
        let folder = try serverFolder(bed)
        let server = try await GitSSHServer.start(directory: folder)
        let url = server.url(path: bed.origin.path)
        let key = GitCredentials.sshKey(privateKeyFile: server.deployKeyFile)

        func cloneError(_ options: GitRemoteOptions) async -> GitError? {
            await #expect(throws: GitError.self) {
                try await GitRepository.openOrClone(
                    url: url, at: bed.directory.appending("clone-\(UUID().uuidString)"), options: options, logger: testLogger())
            }
        }

        let unpinned = await cloneError(GitRemoteOptions(credentials: key))
        #expect(unpinned?.code == .certificateRejected)
        #expect(unpinned?.description.contains("no known_hosts file is configured") == true)

        let empty = try bed.directory.write("# nothing\n[127.0.0.2]:22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP7W5HcFxIbCpX8L1BgSgXN0m9wrJ7PWH2Ss2CDaCZ+r\n", to: "known_hosts_empty")
        let unknown = await cloneError(GitRemoteOptions(credentials: key, knownHostsFile: empty))
        #expect(unknown?.code == .certificateRejected)
        #expect(unknown?.description.contains("is unknown") == true)
        #expect(unknown?.description.contains("[127.0.0.1]:\(server.port)") == true)

        try await GitToolRunner.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "\(folder)/impostor"])
        let impostor = try String(contentsOfFile: "\(folder)/impostor.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        let changed = try bed.directory.write("[127.0.0.1]:\(server.port) \(impostor)\n", to: "known_hosts_changed")
        let mismatch = await cloneError(GitRemoteOptions(credentials: key, knownHostsFile: changed))
        #expect(mismatch?.code == .certificateRejected)
        #expect(mismatch?.description.contains("does not match") == true)

        // The impostor key is not in authorized_keys.
        let refused = await cloneError(
            GitRemoteOptions(credentials: .sshKey(privateKeyFile: "\(folder)/impostor"), knownHostsFile: server.knownHostsFile))
        #expect(refused?.code == .authenticationFailed, "\(String(describing: refused))")

        let missing = await cloneError(GitRemoteOptions(knownHostsFile: server.knownHostsFile))
        #expect(missing?.code == .authenticationFailed)
        await server.stop()
    }

    private func serverFolder(_ bed: GitTestBed) throws -> String {
        let folder = bed.directory.appending("server")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}

import Foundation

/// An OpenSSH server for Git over SSH in tests: `sshd` on a random loopback port with its own host
/// key, accepting one generated deploy key for the current user (root in CI).
public final class GitSSHServer: Sendable {
    public let port: Int
    /// The deploy key's private key file (unencrypted ed25519); `.pub` beside it.
    public let deployKeyFile: String
    /// A known_hosts file holding the server's host key under `[127.0.0.1]:PORT`.
    public let knownHostsFile: String
    /// The user to log in as.
    public let user: String
    private let sshd: BackgroundProcess

    /// Starts sshd with files in `directory`. Fails with a `HarnessError` when `/usr/sbin/sshd` or
    /// `ssh-keygen` is missing (Debian: `apt-get install openssh-server openssh-client`).
    public static func start(directory: String) async throws -> GitSSHServer {
        for program in ["/usr/sbin/sshd", "/usr/bin/ssh-keygen"] where !FileManager.default.isExecutableFile(atPath: program) {
            throw HarnessError("\(program) is missing: install openssh-server and openssh-client")
        }
        // sshd needs its privilege-separation folder.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let hostKey = "\(directory)/ssh_host_ed25519_key"
        let deployKey = "\(directory)/deploy_ed25519"
        try await GitToolRunner.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-host", "-f", hostKey])
        try await GitToolRunner.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy-key", "-f", deployKey])
        let authorizedKeys = "\(directory)/authorized_keys"
        try FileManager.default.copyItem(atPath: deployKey + ".pub", toPath: authorizedKeys)
        let port = try LoopbackPort.free()
        let config = """
            ListenAddress 127.0.0.1
            HostKey \(hostKey)
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(authorizedKeys)
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            UsePAM no
            StrictModes no
            LogLevel VERBOSE
            """
        let configFile = "\(directory)/sshd_config"
        try Data((config + "\n").utf8).write(to: URL(fileURLWithPath: configFile))
        let hostPublic = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        let knownHosts = "\(directory)/known_hosts"
        try Data("[127.0.0.1]:\(port) \(hostPublic)\n".utf8).write(to: URL(fileURLWithPath: knownHosts))
        let sshd = try BackgroundProcess(
            name: "sshd", ["/usr/sbin/sshd", "-D", "-e", "-f", configFile, "-p", String(port)], logDirectory: directory)
        do {
            try await LoopbackPort.waitUntilOpen(port, timeout: .seconds(60), what: "sshd")
        } catch {
            let output = sshd.recentOutput()
            await sshd.stop()
            throw HarnessError("\(error): \(output)")
        }
        let user = NSUserName()
        return GitSSHServer(port: port, deployKeyFile: deployKey, knownHostsFile: knownHosts, user: user, sshd: sshd)
    }

    private init(port: Int, deployKeyFile: String, knownHostsFile: String, user: String, sshd: BackgroundProcess) {
        self.port = port
        self.deployKeyFile = deployKeyFile
        self.knownHostsFile = knownHostsFile
        self.user = user
        self.sshd = sshd
    }

    /// `ssh://USER@127.0.0.1:PORT/ABSOLUTE/PATH` for a repository on this machine.
    public func url(path: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(path)" }

    /// The sshd log, for failure messages.
    public func log() -> String { sshd.recentOutput() }

    public func stop() async { await sshd.stop() }
}

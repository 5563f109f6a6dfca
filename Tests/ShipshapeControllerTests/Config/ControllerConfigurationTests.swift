import Foundation
import ShipshapeController
import ShipshapeGit
import Testing

@Suite("Controller configuration")
struct ControllerConfigurationTests {
    @Test("the example configuration's settings decode")
    func full() throws {
        let config = try ControllerConfiguration.parse(
            """
            git:
              url: https://github.com/example/config.git
              branch: release
              path: envs
              pollInterval: 1m30s
            environments: [prod]
            stateDirectory: /var/lib/shipshape
            listen: "[::1]:9191"
            docker:
              socket: /run/docker.sock
              registryCredentialsFile: /etc/shipshape/registries.json
              ecr: false
              keepPreviousImages: 5
              trafficSwitch: { upstreamDirectory: /etc/nginx/shipshape, reloadCommand: [nginx, -s, reload] }
              prometheus: { url: "http://127.0.0.1:9091/prometheus", timeout: 2s }
              targetGroup: { instanceId: i-0123456789abcdef0, healthTimeout: 2m, drainTimeout: 6m }
            aws: { region: ap-northeast-2, endpoint: "http://127.0.0.1:4566" }
            policy: { dryRun: true }
            admin: { tokenFile: /etc/shipshape/admin-token }
            lease: { table: shipshape-leases, name: prod, duration: 20s }
            """, file: "config.yaml")
        #expect(config.git.ref == .branch("release") && config.git.path == "envs")
        #expect(config.git.pollInterval == .seconds(90))
        #expect(config.environments == ["prod"])
        #expect(try config.listenAddress.host == "::1" && config.listenAddress.port == 9191)
        #expect(config.docker.socket == "/run/docker.sock")
        #expect(config.docker.registryCredentialsFile == "/etc/shipshape/registries.json")
        #expect(!config.docker.ecr && config.docker.keepPreviousImages == 5)
        #expect(config.docker.trafficSwitch?.reloadCommand == ["nginx", "-s", "reload"])
        #expect(config.docker.prometheus?.url == "http://127.0.0.1:9091/prometheus")
        #expect(config.docker.prometheus?.timeout == .seconds(2))
        #expect(config.docker.targetGroup?.identity == .instanceID("i-0123456789abcdef0"))
        #expect(config.docker.targetGroup?.healthTimeout == .seconds(120) && config.docker.targetGroup?.drainTimeout == .seconds(360))
        #expect(config.aws.region == "ap-northeast-2")
        #expect(config.policy.dryRun)
        #expect(config.adminTokenFile == "/etc/shipshape/admin-token")
        #expect(config.lease?.table == "shipshape-leases" && config.lease?.duration == .seconds(20))
    }

    @Test("unknown keys, wrong types and bad values name the file, line and key")
    func errors() {
        func message(_ text: String) -> String {
            do {
                _ = try ControllerConfiguration.parse(text, file: "c.yaml")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(message("git: { url: x }\nlisten: 127.0.0.1:9090\npolcy: {}\n").contains("c.yaml:3:1: unknown key `polcy`"))
        #expect(message("git: { url: x, pollInterval: soon }").contains("`git.pollInterval`: `soon` is not a duration"))
        #expect(message("git: { url: x }\nlisten: nowhere").contains("is not HOST:PORT"))
        #expect(message("listen: 127.0.0.1:9090").contains("missing `git`"))
        #expect(message("git: { url: x }\nlease: { name: a }").contains("missing `lease.table`"))
        #expect(message("git: { url: x }\npolicy: { dryRun: maybe }").contains("`policy.dryRun` must be true or false"))
        #expect(message("git: { url: x, branch: a, tag: b }").contains("give one of `git.branch`, `git.tag` or `git.semver`"))
        #expect(message("git: { url: x }\ndocker: { trafficSwitch: { upstreamDirectory: /x } }").contains("needs `upstreamDirectory` and `reloadCommand`"))
        #expect(message("git: { url: x }\ndocker: { prometheus: { timeout: 5s } }").contains("missing `docker.prometheus.url`"))
        #expect(message("git: { url: x }\ndocker: { prometheus: { url: p, tls: true } }").contains("unknown key `docker.prometheus.tls`"))
        #expect(message("git: { url: x }\ndocker: { prometheus: { url: \"ftp://h:9090\" } }").contains("is not an http:// or https:// URL"))
        #expect(message("git: { url: x }\ndocker: { prometheus: { url: \"http://h:9090\", timeout: never } }").contains("`docker.prometheus.timeout`: `never` is not a duration"))
        // A URL with credentials is refused without being echoed.
        let withCredentials = message("git: { url: x }\ndocker: { prometheus: { url: \"http://ops:hunter2@h:9090\" } }")
        #expect(withCredentials.contains("must not carry credentials"))
        #expect(!withCredentials.contains("hunter2"))
        #expect(
            message("git: { url: x }\ndocker: { targetGroup: { instanceId: i-0abc, ipAddress: 10.0.0.5 } }")
                .contains("give one of `docker.targetGroup.instanceId` or `docker.targetGroup.ipAddress`"))
        #expect(message("git: { url: x }\ndocker: { targetGroup: { instanceId: web-1 } }").contains("`web-1` is not an EC2 instance id"))
        #expect(message("git: { url: x }\ndocker: { targetGroup: { ipAddress: 10.0.0.300 } }").contains("`10.0.0.300` is not an IP address"))
        #expect(message("git: { url: x }\ndocker: { targetGroup: { drainTimeout: later } }").contains("`docker.targetGroup.drainTimeout`"))
        #expect(message("git: { url: x }\ndocker: { targetGroup: { arn: x } }").contains("unknown key `docker.targetGroup.arn`"))
        let byAddress = try? ControllerConfiguration.parse("git: { url: x }\ndocker: { targetGroup: { ipAddress: 10.0.0.5 } }", file: "c.yaml")
        #expect(byAddress?.docker.targetGroup?.identity == .ipAddress("10.0.0.5"))
        #expect(byAddress?.docker.targetGroup?.healthTimeout == .seconds(300))
    }
}

extension ControllerConfigurationTests {
    @Test("deploy/config.example.yaml is a valid configuration")
    func example() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let config = try ControllerConfiguration.load(path: root.appendingPathComponent("deploy/config.example.yaml").path)
        #expect(config.git.verify?.allowedSignersFile == "/etc/shipshape/allowed_signers")
        #expect(config.git.webhook?.secretFile == "/etc/shipshape/webhook-secret")
        #expect(config.adminTokenFile == "/etc/shipshape/admin-token")
        #expect(config.docker.prometheus?.url == "http://prometheus.internal:9090")
        #expect(config.docker.targetGroup?.identity == .instanceMetadata)
    }
}

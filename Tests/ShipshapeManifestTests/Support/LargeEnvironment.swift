@testable import ShipshapeManifest

/// Generates a large, valid environment split over files in its own folder, for the benchmark:
/// services, security groups (with rules that reference each other), instances and databases.
enum LargeEnvironment {
    struct Counts {
        var services = 2_000
        var securityGroups = 1_500
        var instances = 1_000
        var databases = 500

        var total: Int { services + securityGroups + instances + databases }
    }

    static func hex(_ value: Int, width: Int) -> String {
        String(String(value, radix: 16).leftPadded(to: width).suffix(width))
    }

    static func sources(name: String = "perf", counts: Counts = .init()) -> [ManifestSource] {
        func document(_ body: String) -> String {
            "apiVersion: shipshape.io/v1\nkind: Environment\nmetadata: { name: \(name) }\nspec:\n  region: us-east-1\n" + body
        }
        var services = "  secrets:\n    db-password: ssm:/\(name)/db/password\n  services:\n"
        for index in 0..<counts.services {
            services += """
                    svc-\(index):
                      runtime: docker
                      image: 127.0.0.1:5000/team-\(index % 50)/svc-\(index)
                      tag: "1.\(index % 10).\(index % 7)"
                      ports: ["127.0.0.1:\(20_000 + index):8080"]
                      env: { SERVICE_INDEX: \(index), LOG_LEVEL: info }
                      secrets: { DB_PASSWORD: db-password }
                      health: { http: /health, port: 8080, timeout: 30s }
                      resources: { memory: 256m, cpus: 0.25 }

                """
        }
        var groups = "  securityGroups:\n"
        for index in 0..<counts.securityGroups {
            groups += """
                    sg-\(index):
                      vpc: vpc-\(hex(index, width: 17))
                      description: group \(index)
                      ingress:
                        - { protocol: tcp, ports: 443, cidr: 10.\(index % 256).0.0/16, description: https }
                        - { protocol: tcp, ports: "8000-8100", cidrIPv6: "2001:db8:\(hex(index, width: 4))::/48" }
                        - { protocol: tcp, ports: 5432, group: sg-\((index + 1) % counts.securityGroups) }

                """
        }
        var instances = "  instances:\n"
        for index in 0..<counts.instances {
            instances += """
                    vm-\(index): { type: m6g.\(index % 2 == 0 ? "large" : "2xlarge"), ami: ami-\(hex(index, width: 17)), subnet: subnet-\(hex(index, width: 8)), securityGroups: [sg-\(index % counts.securityGroups)], tags: { Team: team-\(index % 50) } }

                """
        }
        var databases = "  databases:\n"
        for index in 0..<counts.databases {
            databases += """
                    db-\(index): { class: db.r6g.large, engine: postgres, storage: \(20 + index % 100), maintenanceWindow: "sun:03:00-sun:04:00", securityGroups: [sg-\(index % counts.securityGroups)], masterUsername: app, masterPassword: db-password }

                """
        }
        return [
            ManifestSource(path: "base.yaml", text: "apiVersion: shipshape.io/v1\nkind: Base\nspec:\n  policy: { maxChanges: 100 }\n"),
            ManifestSource(path: "\(name)/services.yaml", text: document(services)),
            ManifestSource(path: "\(name)/network.yaml", text: document(groups)),
            ManifestSource(path: "\(name)/instances.yaml", text: document(instances)),
            ManifestSource(path: "\(name)/databases.yaml", text: document(databases)),
        ]
    }
}

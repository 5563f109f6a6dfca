import Foundation
import Logging
import ShipshapeAWS
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting

/// moto behind the project's fault proxy (which records every call), an `AWSClient` aimed at the
/// proxy, and a `Reconciler` with the AWS providers.
struct AWSProviderFixture {
    let moto: MotoServer
    let proxy: AWSFaultProxy
    let client: AWSClient
    let reconciler: Reconciler
    let environmentName: String

    static let region = "us-east-1"
    /// moto's account, the registry id of its ECR.
    static let account = "123456789012"
    static var registry: String { "\(account).dkr.ecr.\(region).amazonaws.com" }

    /// Actions that only read.
    static func isReadOnly(_ action: String) -> Bool {
        action.hasPrefix("Describe") || action.hasPrefix("List") || action.hasPrefix("Get")
    }

    /// Starts moto and the proxy, runs `body`, and stops both whatever happens.
    static func with<T>(
        motoEnvironment: [String: String] = [:],
        options: AWSProviderOptions = AWSProviderOptions(
            protectedPorts: [22], instanceStateTimeout: .seconds(30), pollInterval: .milliseconds(100),
            deploymentTimeout: .seconds(10)),
        _ body: (AWSProviderFixture) async throws -> T
    ) async throws -> T {
        try await AWSFaultProxy.withMoto(region: region, motoEnvironment: motoEnvironment) { moto, proxy in
            let client = AWSClient(
                configuration: .init(
                    region: region, endpoint: proxy.endpoint, environment: [:], retry: RetryPolicy(jitter: { 1 }),
                    attemptTimeout: .seconds(60), sleep: { delay in try await Task.sleep(for: min(delay, .milliseconds(50))) }),
                credentialProvider: StaticCredentialProvider(
                    AWSCredentials(accessKeyID: MotoServer.dummyAccessKeyID, secretAccessKey: MotoServer.dummySecretAccessKey)),
                logger: Logger(label: "test.aws"))
            let fixture = AWSProviderFixture(
                moto: moto, proxy: proxy, client: client,
                reconciler: Reconciler(
                    providers: AWSProviders.make(client: client, options: options, logger: Logger(label: "test.providers"))),
                environmentName: "t\(UInt32.random(in: 0...UInt32.max))")
            do {
                let result = try await body(fixture)
                try? await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    func environment(_ spec: EnvironmentSpec) -> Environment {
        var spec = spec
        spec.region = Self.region
        return Environment(name: environmentName, spec: spec)
    }

    /// Observes and plans `environment`; `applied` are the fingerprints of the last apply.
    func plan(_ environment: Environment, applied: [ResourceID: String] = [:], selfHeal: Bool = true) async throws -> Plan {
        try await reconciler.plan(
            environment,
            inputs: Planner.Inputs(
                environment: environment.name, revision: "rev", selfHeal: selfHeal, appliedFingerprints: applied))
    }

    /// One cycle: observe, plan, apply. Returns the plan and the report.
    @discardableResult
    func cycle(_ environment: Environment, applied: [ResourceID: String] = [:]) async throws -> (plan: Plan, report: ApplyReport) {
        let plan = try await plan(environment, applied: applied)
        let report = await reconciler.apply(plan, logger: Logger(label: "test.apply"))
        return (plan, report)
    }

    /// Calls recorded since the last `clearRecording()` that change something.
    var mutatingCalls: [String] { proxy.actions.filter { !Self.isReadOnly($0) } }

    /// The default VPC's id.
    func defaultVPC() async throws -> String {
        let output = try await moto.python(
            """
            import boto3
            print(boto3.client("ec2").describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"])
            """)
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs boto3 code and decodes the JSON it prints last.
    func pythonJSON(_ script: String) async throws -> Any {
        let output = try await moto.python(script)
        let line = output.split(separator: "\n").last.map(String.init) ?? "null"
        return try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
    }
}

extension ApplyReport {
    /// The failure's error text, for expectations and messages.
    var failureText: String? { failure.map { "\($0.error)" } }
}

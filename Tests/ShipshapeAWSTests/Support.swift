import Foundation
import Logging
import ShipshapeAWS
import ShipshapeTesting
import Synchronization

/// Delays the client asked to sleep, recorded instead of slept (retries stay fast and checkable).
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    var recorded: [Duration] { delays.withLock { $0 } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] duration in delays.withLock { $0.append(duration) } }
    }
}

/// moto (and optionally a fault proxy in front of it) plus an `AWSClient` aimed at it.
struct MotoFixture {
    let moto: MotoServer
    let proxy: AWSFaultProxy?
    let client: AWSClient
    let sleeps: SleepRecorder

    static let region = "us-east-1"

    /// Starts moto, optionally a proxy, and a client with dummy keys; runs `body`; cleans up.
    static func with<T>(
        proxy useProxy: Bool = false,
        motoEnvironment: [String: String] = [:],
        retry: RetryPolicy = RetryPolicy(jitter: { 1 }),
        now: @escaping @Sendable () -> Date = { Date() },
        _ body: (MotoFixture) async throws -> T
    ) async throws -> T {
        let moto = try await MotoServer.start(region: region, environment: motoEnvironment)
        var proxy: AWSFaultProxy?
        do {
            if useProxy { proxy = try await AWSFaultProxy.start(upstream: moto.endpoint) }
            let sleeps = SleepRecorder()
            let client = AWSClient(
                configuration: .init(
                    region: region, endpoint: proxy?.endpoint ?? moto.endpoint, environment: [:], retry: retry,
                    attemptTimeout: .seconds(60), now: now, sleep: sleeps.sleep),
                credentialProvider: StaticCredentialProvider(
                    AWSCredentials(accessKeyID: MotoServer.dummyAccessKeyID, secretAccessKey: MotoServer.dummySecretAccessKey)),
                logger: Logger(label: "test.aws"))
            let fixture = MotoFixture(moto: moto, proxy: proxy, client: client, sleeps: sleeps)
            do {
                let result = try await body(fixture)
                try? await client.shutdown()
                await proxy?.stop()
                await moto.stop()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        } catch {
            await proxy?.stop()
            await moto.stop()
            throw error
        }
    }
}

/// Parses the JSON text awscli/boto3 printed.
func jsonObject(_ text: String) throws -> [String: Any] {
    (try JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}
